// The webhook side of the run outbox: a terminal run change inserts its WebhookDelivery row and the
// graphile-worker job that sends it in the SAME statement as the change (see lib/runs/events.ts), so
// a worker that dies at any point leaves either no terminal status or a status with its delivery.
// Nothing here imports lib/runs: events.ts depends on this file, not on the delivery code.

import { webhookJobSql } from "@/lib/queue/add-job";

export const WEBHOOK_TASK = "webhook_deliver";

/** One delivery per run and event type (the id makes the insert idempotent). */
export const webhookDeliveryId = (runId: string, eventType: string) => `msg_${runId.slice(4)}_${eventType.replace(/\W/g, "_")}`;

/**
 * SQL CTEs (to follow a `WITH … upd AS (UPDATE "Run" … RETURNING id, "webhookUrl")`) inserting the
 * delivery of the changed run and its job. `$id`, `$type` and `$task` are parameter placeholders.
 * The job is added by the returned `jobs` CTE, which the statement must reference.
 */
export const webhookOutboxSql = (p: { id: string; type: string; task: string }) => `
   , hook AS (
       INSERT INTO "WebhookDelivery" (id, "runId", url, "eventType", status, "nextAttemptAt")
       SELECT ${p.id}, upd.id, upd."webhookUrl", ${p.type}, 'pending', now() FROM upd WHERE upd."webhookUrl" IS NOT NULL
       ON CONFLICT (id) DO NOTHING RETURNING id)
   , jobs AS (SELECT ${webhookJobSql(p.task, "hook.id")} AS job FROM hook)`;
