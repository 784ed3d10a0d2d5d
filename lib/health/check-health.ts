// Liveness of the app, its database and its job queue (GET /api/health; no actor needed).
import { pool } from "@/lib/db";
import pkg from "@/package.json";

export interface Health {
  status: "ok" | "degraded";
  db: "ok" | "down";
  queue: "ok" | "down";
  version: string;
}

export async function checkHealth(): Promise<Health> {
  let dbOk = false;
  let queueOk = false;
  try {
    await pool().query("select 1");
    dbOk = true;
    const q = await pool().query(`select to_regclass('graphile_worker.jobs') is not null as ok`);
    queueOk = q.rows[0]?.ok === true;
  } catch {}
  return { status: dbOk && queueOk ? "ok" : "degraded", db: dbOk ? "ok" : "down", queue: queueOk ? "ok" : "down", version: pkg.version };
}
