// `npm run db:migrate`: apply prisma/migrations and the job queue's schema to DATABASE_URL
// (or the embedded database when unset).
import { loadLocalEnv } from "@/lib/env";
import { migrate } from "@/lib/db/migrate";
import { installQueueSchema } from "@/lib/runs/worker";
import { sealLegacyEndpointCredentials } from "@/lib/endpoints/credentials";
import { closeDb } from "@/lib/db";

const pg = await loadLocalEnv();
const r = await migrate(process.env.DATABASE_URL!);
await installQueueSchema(process.env.DATABASE_URL!);
// Data migration: endpoint header values / URL credentials stored in clear before they were secrets.
await sealLegacyEndpointCredentials();
await closeDb();
console.log(r.applied.length ? `applied ${r.applied.join(", ")}` : `database is up to date (${r.alreadyApplied} migrations)`);
if (pg.owned) await pg.stop();
