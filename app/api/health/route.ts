// GET /api/health – liveness of the app, its database and its job queue (no auth).
import { NextResponse } from "next/server";
import { pool } from "@/lib/db";
import pkg from "@/package.json";

export const dynamic = "force-dynamic";

export async function GET() {
  let dbOk = false;
  let queueOk = false;
  try {
    await pool().query("select 1");
    dbOk = true;
    const q = await pool().query(`select to_regclass('graphile_worker.jobs') is not null as ok`);
    queueOk = q.rows[0]?.ok === true;
  } catch {}
  const body = { status: dbOk && queueOk ? "ok" : "degraded", db: dbOk ? "ok" : "down", queue: queueOk ? "ok" : "down", version: pkg.version };
  return NextResponse.json(body, { status: dbOk && queueOk ? 200 : 503 });
}
