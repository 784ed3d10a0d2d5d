// Replay a run's webhook delivery: send it again now (a dead one gets a fresh 24 h window).
import { db, pool } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { auditInsertSql } from "@/lib/audit/record";
import { webhookJobSql } from "@/lib/queue/add-job";
import { WEBHOOK_TASK } from "./outbox";
import { ReplayWebhookInput } from "./replay-webhook.types";

/** Send a delivery again now (dead ones get a fresh 24 h window). Refused while a try is in flight. */
export async function replayWebhook({ ctx, input }: VerbArgs<ReplayWebhookInput>): Promise<void> {
  const { actor } = ctx;
  requirePermission(actor, "runs:write");
  const { runId, deliveryId } = ReplayWebhookInput.parse(input);
  // One statement, so a replay can never release a delivery another try has claimed; its audit row
  // and its job are written by the same statement.
  const args: unknown[] = [deliveryId, runId, WEBHOOK_TASK];
  const auditSql = auditInsertSql(args, actor, "webhook.replay", { type: "run", idSql: "$2::text" }, "upd", {
    details: { deliveryId },
    beforeSql: `json_build_object('status', before)::jsonb`,
    after: { status: "retrying" },
  });
  const updated = await pool().query(
    `WITH old AS (SELECT id, status FROM "WebhookDelivery" WHERE id = $1 AND "runId" = $2 FOR UPDATE),
     upd AS (
       UPDATE "WebhookDelivery" w SET status = 'retrying', "nextAttemptAt" = now(), "createdAt" = CASE WHEN w.status = 'dead' THEN now() ELSE w."createdAt" END
        FROM old WHERE w.id = old.id AND old.status <> 'pending' AND NOT (old.status = 'sending' AND w."nextAttemptAt" >= now())
        RETURNING w.id, old.status AS before),
     aud AS (${auditSql})
     SELECT ${webhookJobSql("$3", "id", "now()")} FROM upd`,
    args,
  );
  if (!updated.rowCount) {
    const d = await db().webhookDelivery.findFirst({ where: { id: deliveryId, runId }, select: { status: true } });
    if (!d) throw new ApiError("not_found", `Run ${runId} has no webhook delivery ${deliveryId}.`);
    if (d.status === "pending") throw new ApiError("conflict", "This delivery is about to be sent; wait for its first try.");
    throw new ApiError("conflict", "A try of this delivery is being sent right now; replay it once that try has ended.", { status: d.status });
  }
}
