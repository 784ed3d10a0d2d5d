// `npm run db:migrate`: apply prisma/migrations and the job queue's schema to DATABASE_URL
// (or the embedded database when unset).
import { loadLocalEnv } from "@/lib/env";
import { prepareDatabase } from "./prepare-database";
import { closeDb } from "@/lib/db";

const pg = await loadLocalEnv();
const r = await prepareDatabase(process.env.DATABASE_URL!);
await closeDb();
console.log(r.applied.length ? `applied ${r.applied.join(", ")}` : `database is up to date (${r.alreadyApplied} migrations)`);
if (pg.owned) await pg.stop();
