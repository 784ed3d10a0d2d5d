// Every status change is a RunEvent row plus a NOTIFY on "flowgate_runs" (payload: run id) that the
// SSE route and the dashboard relay. Transitions are conditional updates, so status only moves forward
// even with several workers and the API racing.
// The outbox: everything a change causes — the event, the NOTIFY, a cost added to the run and, for a
// terminal status, the webhook delivery and its job — is written by the change's own statement, so it
// commits (or not) with the change. Pass a transaction's client as `q` to join a larger change.
import type pg from "pg";
import { pool } from "@/lib/db";
import { WEBHOOK_TASK, webhookDeliveryId, webhookOutboxSql } from "@/lib/webhooks/outbox";
import { RUN_CHANNEL } from "./channel";
import { allowedFrom, isTerminal, type RunStatus } from "./status";

export { RUN_CHANNEL };

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export interface TransitionPatch {
  error?: unknown;
  progress?: unknown;
  startedAt?: boolean;
  finishedAt?: boolean;
  costUsd?: number;
  /** Added to the run's cost (an attempt's cost, recorded with the change that ends it). */
  addCostUsd?: number;
}

/** Move a run to `to` if allowed. Returns false when the run is already past that point. */
export async function transition(runId: string, to: RunStatus, patch: TransitionPatch = {}, eventData: Record<string, unknown> = {}, q: Queryable = pool()): Promise<boolean> {
  const sets = [`"status" = $2::"RunStatus"`];
  const args: unknown[] = [runId, to, allowedFrom(to)];
  if (patch.error !== undefined) {
    args.push(JSON.stringify(patch.error));
    sets.push(`"error" = $${args.length}::jsonb`);
  }
  if (patch.progress !== undefined) {
    args.push(patch.progress === null ? null : JSON.stringify(patch.progress));
    sets.push(`"progress" = $${args.length}::jsonb`);
  }
  if (patch.costUsd !== undefined) {
    args.push(patch.costUsd);
    sets.push(`"costUsd" = $${args.length}`);
  }
  if (patch.addCostUsd) {
    args.push(patch.addCostUsd);
    sets.push(`"costUsd" = "costUsd" + $${args.length}`);
  }
  if (patch.startedAt) sets.push(`"startedAt" = COALESCE("startedAt", now())`);
  // The lease stays with whoever drives the run: it still has to cancel the provider job.
  if (patch.finishedAt) sets.push(`"finishedAt" = now()`);
  args.push(JSON.stringify({ status: to, ...eventData }));
  const eventArg = args.length;
  // Terminal changes notify the run's webhook (if any) through a durable delivery job, in the same statement.
  const terminal = isTerminal(to);
  let outbox = "";
  if (terminal) {
    args.push(webhookDeliveryId(runId, `run.${to}`), `run.${to}`, WEBHOOK_TASK);
    outbox = webhookOutboxSql({ id: `$${args.length - 2}`, type: `$${args.length - 1}`, task: `$${args.length}` });
  }
  const res = await q.query(
    `WITH upd AS (UPDATE "Run" SET ${sets.join(", ")} WHERE id = $1 AND status::text = ANY($3::text[]) RETURNING id, status, "webhookUrl")
     , ev AS (INSERT INTO "RunEvent" ("runId", type, data) SELECT id, 'status', $${eventArg}::jsonb FROM upd RETURNING 1)${outbox}
     SELECT pg_notify('${RUN_CHANNEL}', $1)${terminal ? ", (SELECT count(*) FROM jobs) AS jobs" : ""} FROM upd`,
    args,
  );
  const moved = (res.rowCount ?? 0) > 0;
  return moved;
}

/** Record a non-status event (progress, attempt changes, webhook deliveries) and notify listeners. */
export async function recordEvent(runId: string, type: string, data: Record<string, unknown>, q: Queryable = pool()) {
  await q.query(
    `WITH ev AS (INSERT INTO "RunEvent" ("runId", type, data) VALUES ($1, $2, $3::jsonb) RETURNING 1) SELECT pg_notify('${RUN_CHANNEL}', $1)`,
    [runId, type, JSON.stringify(data)],
  );
}
