// What every start (`npm run dev`, `npm start`) and `npm run db:migrate` does to the database before
// anything else uses it: the SQL migrations, the job queue's schema, and the data migration that
// seals endpoint credentials stored in clear before they were secrets.
import { migrate } from "@/lib/db/migrate";
import { installQueueSchema } from "@/lib/runs/worker";
import { sealLegacyEndpointCredentials } from "@/lib/endpoints/credentials";

export async function prepareDatabase(url: string) {
  const result = await migrate(url);
  await installQueueSchema(url);
  await sealLegacyEndpointCredentials();
  return result;
}
