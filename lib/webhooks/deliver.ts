// Run webhooks, Standard Webhooks–signed, delivered by durable jobs. Every try is recorded; a receiver
// that is down, slow or answers 404 only delays its own delivery (retries with backoff for 24 h),
// never dispatch. A delivery that exhausts its retries is marked dead and can be replayed.
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { db, pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { AddressRefusedError, OutboundError, outboundFetch } from "@/lib/net";
import { getRun } from "@/lib/runs/get-run";
import { ApiError, notFound } from "@/lib/errors";
import { requirePermission, systemActor, type Actor } from "@/lib/auth/actor";
import { audit, auditInsertSql } from "@/lib/audit/record";
import type { Prisma } from "@/lib/generated/prisma/client";
// Deliveries are created by the run outbox (./outbox.ts, written by lib/runs/events.ts).
import { WEBHOOK_TASK } from "./outbox";

export { WEBHOOK_TASK };
// Read at use, so operators (and tests) can tune them without a restart of the module graph.
const timeoutMs = () => Number(process.env.FLOWGATE_WEBHOOK_TIMEOUT_MS ?? 10_000);
/** Delay before try n+1 (ms). The last entry repeats until the window closes. */
const schedule_ = () => (process.env.FLOWGATE_WEBHOOK_SCHEDULE_MS ?? "5000,30000,120000,600000,1800000,3600000,7200000,14400000").split(",").map(Number);
const windowMs = () => Number(process.env.FLOWGATE_WEBHOOK_WINDOW_MS ?? 24 * 3600_000);

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/**
 * The deployment's signing secret, created on first use. Creating it is audited
 * (`deployment.webhook_secret.create`, by `actor`; the worker's first delivery creates it as the system).
 */
export async function deploymentWebhookSecret(deploymentId: string, actor: Actor = systemActor): Promise<string> {
  // Every delivery reads it: no lock or transaction once it exists.
  const d = await db().deployment.findUnique({ where: { id: deploymentId }, select: { webhookSecretEncrypted: true } });
  if (!d) throw notFound("Deployment", deploymentId);
  if (d.webhookSecretEncrypted) return decryptSecret(d.webhookSecretEncrypted);
  return (await webhookSecretOf(deploymentId, actor)).secret;
}

async function webhookSecretOf(deploymentId: string, actor: Actor, onRead?: (tx: Prisma.TransactionClient) => Promise<unknown>) {
  return db().$transaction(async (tx) => {
    // Locks the row: two first uses agree on one secret, and only the one that created it audits it.
    const rows = await tx.$queryRaw<{ webhookSecretEncrypted: string | null }[]>`SELECT "webhookSecretEncrypted" FROM "Deployment" WHERE id = ${deploymentId} FOR UPDATE`;
    if (!rows.length) throw notFound("Deployment", deploymentId);
    if (rows[0].webhookSecretEncrypted) {
      await onRead?.(tx);
      return { secret: decryptSecret(rows[0].webhookSecretEncrypted), created: false };
    }
    const secret = newWebhookSecret();
    await tx.deployment.update({ where: { id: deploymentId }, data: { webhookSecretEncrypted: encryptSecret(secret) } });
    await audit(tx, actor, "deployment.webhook_secret.create", { type: "deployment", id: deploymentId });
    return { secret, created: true };
  });
}

/**
 * Show the secret to a person (GET …/webhook-secret). Each reveal is audited
 * (`deployment.webhook_secret.reveal`), or `….create` when this call created it: one row either way.
 */
export async function revealWebhookSecret(actor: Actor, slug: string): Promise<string> {
  requirePermission(actor, "deployments:write");
  const d = await db().deployment.findUnique({ where: { slug }, select: { id: true } });
  if (!d) throw notFound("Deployment", slug);
  const r = await webhookSecretOf(d.id, actor, (tx) => audit(tx, actor, "deployment.webhook_secret.reveal", { type: "deployment", id: d.id }, { slug }));
  return r.secret;
}

async function schedule(deliveryId: string, at: Date) {
  await pool().query(`SELECT graphile_worker.add_job($1, json_build_object('deliveryId', $2::text), run_at := $3, job_key := $2::text, max_attempts := 1)`, [WEBHOOK_TASK, deliveryId, at]);
}

/** How long a claimed try may take before another job may take the delivery over (a worker that died mid-send). */
const leaseMs = () => timeoutMs() + 30_000;

/**
 * One delivery try. Called by the worker's webhook job. Tries of one delivery never overlap: a try
 * first claims the delivery (status "sending", the attempt number reserved, a lease in nextAttemptAt)
 * in one statement, so two jobs for the same delivery (a replay while a retry is queued, replays in
 * quick succession, two workers) cannot both send, and every POST that is sent is recorded under its
 * own number.
 */
export async function deliverWebhook(deliveryId: string) {
  const claimed = await pool().query<{ attemptCount: number; url: string; runId: string; eventType: string; payload: unknown; createdAt: Date }>(
    `UPDATE "WebhookDelivery" SET status = 'sending', "attemptCount" = "attemptCount" + 1, "nextAttemptAt" = now() + $2 * interval '1 millisecond'
      WHERE id = $1 AND (status IN ('pending', 'retrying') OR (status = 'sending' AND "nextAttemptAt" < now()))
      RETURNING "attemptCount", url, "runId", "eventType", payload, "createdAt"`,
    [deliveryId, leaseMs()],
  );
  const d = claimed.rows[0];
  if (!d) return; // delivered, dead, gone, or another try is in flight
  const number = d.attemptCount;
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    // The body is fixed (as text: jsonb would reorder keys) at the first try, so every retry sends
    // the identical message.
    let body = typeof d.payload === "string" ? d.payload : null;
    if (!body) {
      body = JSON.stringify({ type: d.eventType, timestamp: new Date().toISOString(), data: await getRun(d.runId) });
      await db().webhookDelivery.update({ where: { id: deliveryId }, data: { payload: body } });
    }
    const run = await db().run.findUniqueOrThrow({ where: { id: d.runId }, select: { deploymentId: true } });
    const secret = await deploymentWebhookSecret(run.deploymentId);
    const ts = new Date();
    const signature = new Webhook(secret.replace(/^whsec_/, "")).sign(deliveryId, ts, body);
    // lib/net checks the address the connection goes to (DNS is resolved once, at connect time).
    const res = await outboundFetch(d.url, {
      purpose: "webhook",
      method: "POST",
      redirect: "manual",
      timeoutMs: timeoutMs(),
      discardBody: true,
      headers: {
        "content-type": "application/json",
        "user-agent": "Flowgate-Webhooks/1",
        "webhook-id": deliveryId,
        "webhook-timestamp": String(Math.floor(ts.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
    });
    statusCode = res.status;
    if (res.status < 200 || res.status >= 300) error = `receiver answered HTTP ${res.status}`;
  } catch (err) {
    error = err instanceof ApiError || err instanceof AddressRefusedError || err instanceof OutboundError ? err.message : err instanceof Error ? (err.name === "TimeoutError" ? `no answer within ${timeoutMs()} ms` : err.message) : String(err);
  }
  const durationMs = Date.now() - started;
  await db().webhookDeliveryAttempt.create({ data: { id: newId("wha"), deliveryId, number, statusCode, durationMs, error } });

  // Only the holder of the current claim moves the delivery on (a try whose lease was taken over
  // after it stalled has its attempt recorded above, and nothing more).
  const mine = { id: deliveryId, status: "sending", attemptCount: number };
  if (!error) {
    await db().webhookDelivery.updateMany({ where: mine, data: { status: "delivered", lastStatus: statusCode, lastError: null, deliveredAt: new Date(), nextAttemptAt: null } });
    return;
  }
  const steps = schedule_();
  const delay = steps[Math.min(number - 1, steps.length - 1)] * (0.8 + Math.random() * 0.4);
  const next = new Date(Date.now() + delay);
  const dead = next.getTime() - d.createdAt.getTime() > windowMs();
  const moved = await db().webhookDelivery.updateMany({
    where: mine,
    data: { status: dead ? "dead" : "retrying", lastStatus: statusCode, lastError: error, nextAttemptAt: dead ? null : next },
  });
  if (!moved.count) return;
  if (dead) log.warn("webhook delivery is dead after exhausting its retries", { runId: d.runId, deliveryId, attempts: number, error });
  else await schedule(deliveryId, next);
}

export function serializeDelivery(d: Prisma.WebhookDeliveryGetPayload<{ include: { attempts: true } }>) {
  return {
    id: d.id,
    runId: d.runId,
    url: d.url,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    attempts: d.attempts
      .sort((a, b) => a.number - b.number)
      .map((a) => ({ number: a.number, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, at: a.createdAt.toISOString() })),
  };
}

/** Send a delivery again now (dead ones get a fresh 24 h window). Refused while a try is in flight. */
export async function replayWebhook(actor: Actor, runId: string, deliveryId: string) {
  requirePermission(actor, "runs:write");
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
     SELECT graphile_worker.add_job($3, json_build_object('deliveryId', id), run_at := now(), job_key := id, max_attempts := 1) FROM upd`,
    args,
  );
  if (!updated.rowCount) {
    const d = await db().webhookDelivery.findFirst({ where: { id: deliveryId, runId }, select: { status: true } });
    if (!d) throw new ApiError("not_found", `Run ${runId} has no webhook delivery ${deliveryId}.`);
    if (d.status === "pending") throw new ApiError("conflict", "This delivery is about to be sent; wait for its first try.");
    throw new ApiError("conflict", "A try of this delivery is being sent right now; replay it once that try has ended.", { status: d.status });
  }
}
