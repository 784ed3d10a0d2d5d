// A run's audit row on a transaction's connection (cancel, and anything else that changes a run in pg).
import type pg from "pg";
import type { Actor } from "@/lib/auth/actor";
import { auditInsertSql } from "@/lib/audit/record";

export async function auditRun(client: pg.PoolClient, actor: Actor, action: string, runId: string, extra: { before: Record<string, unknown>; after: Record<string, unknown> }) {
  const args: unknown[] = [runId];
  await client.query(auditInsertSql(args, actor, action, { type: "run", idSql: "$1::text" }, "(SELECT 1) one", extra), args);
}
