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
import { requirePermission, type Actor } from "@/lib/auth/actor";
import { audit } from "@/lib/audit/record";
import type { Prisma } from "@/lib/generated/prisma/client";

export const WEBHOOK_TASK = "webhook_deliver";
// Read at use, so operators (and tests) can tune them without a restart of the module graph.
const timeoutMs = () => Number(process.env.FLOWGATE_WEBHOOK_TIMEOUT_MS ?? 10_000);
/** Delay before try n+1 (ms). The last entry repeats until the window closes. */
const schedule_ = () => (process.env.FLOWGATE_WEBHOOK_SCHEDULE_MS ?? "5000,30000,120000,600000,1800000,3600000,7200000,14400000").split(",").map(Number);
const windowMs = () => Number(process.env.FLOWGATE_WEBHOOK_WINDOW_MS ?? 24 * 3600_000);

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** The deployment's signing secret, created on first use. */
export async function deploymentWebhookSecret(deploymentId: string): Promise<string> {
  const d = await db().deployment.findUnique({ where: { id: deploymentId }, select: { webhookSecretEncrypted: true } });
  if (!d) throw notFound("Deployment", deploymentId);
  if (d.webhookSecretEncrypted) return decryptSecret(d.webhookSecretEncrypted);
  const secret = newWebhookSecret();
  await db().deployment.updateMany({ where: { id: deploymentId, webhookSecretEncrypted: null }, data: { webhookSecretEncrypted: encryptSecret(secret) } });
  const again = await db().deployment.findUnique({ where: { id: deploymentId }, select: { webhookSecretEncrypted: true } });
  return decryptSecret(again!.webhookSecretEncrypted!);
}

/** Enqueue the run's webhook for an event (idempotent per run + event type). */
export async function enqueueWebhook(runId: string, eventType: string) {
  const id = `msg_${runId.slice(4)}_${eventType.replace(/\W/g, "_")}`;
  await pool().query(
    `WITH d AS (
       INSERT INTO "WebhookDelivery" (id, "runId", url, "eventType", status, "nextAttemptAt")
       SELECT $1, r.id, r."webhookUrl", $3, 'pending', now() FROM "Run" r WHERE r.id = $2 AND r."webhookUrl" IS NOT NULL
       ON CONFLICT (id) DO NOTHING RETURNING id)
     SELECT graphile_worker.add_job($4, json_build_object('deliveryId', d.id), job_key := d.id, max_attempts := 1) FROM d`,
    [id, runId, eventType, WEBHOOK_TASK],
  );
}

async function schedule(deliveryId: string, at: Date) {
  await pool().query(`SELECT graphile_worker.add_job($1, json_build_object('deliveryId', $2::text), run_at := $3, job_key := $2::text, max_attempts := 1)`, [WEBHOOK_TASK, deliveryId, at]);
}

/** One delivery try. Called by the worker's webhook job. */
export async function deliverWebhook(deliveryId: string) {
  const d = await db().webhookDelivery.findUnique({ where: { id: deliveryId }, include: { run: { select: { deploymentId: true } } } });
  if (!d || d.status === "delivered" || d.status === "dead") return;

  // The body is fixed (as text: jsonb would reorder keys) at the first try, so every retry sends
  // the identical message.
  let body = typeof d.payload === "string" ? d.payload : null;
  if (!body) {
    body = JSON.stringify({ type: d.eventType, timestamp: new Date().toISOString(), data: await getRun(d.runId) });
    await db().webhookDelivery.update({ where: { id: d.id }, data: { payload: body } });
  }
  const number = d.attemptCount + 1;
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const secret = await deploymentWebhookSecret(d.run.deploymentId);
    const ts = new Date();
    const signature = new Webhook(secret.replace(/^whsec_/, "")).sign(d.id, ts, body);
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
        "webhook-id": d.id,
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
  await db().webhookDeliveryAttempt.create({ data: { id: newId("wha"), deliveryId: d.id, number, statusCode, durationMs, error } });

  if (!error) {
    await db().webhookDelivery.update({ where: { id: d.id }, data: { status: "delivered", attemptCount: number, lastStatus: statusCode, lastError: null, deliveredAt: new Date(), nextAttemptAt: null } });
    return;
  }
  const steps = schedule_();
  const delay = steps[Math.min(number - 1, steps.length - 1)] * (0.8 + Math.random() * 0.4);
  const next = new Date(Date.now() + delay);
  const dead = next.getTime() - d.createdAt.getTime() > windowMs();
  await db().webhookDelivery.update({
    where: { id: d.id },
    data: { status: dead ? "dead" : "retrying", attemptCount: number, lastStatus: statusCode, lastError: error, nextAttemptAt: dead ? null : next },
  });
  if (dead) log.warn("webhook delivery is dead after exhausting its retries", { runId: d.runId, deliveryId: d.id, attempts: number, error });
  else await schedule(d.id, next);
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

/** Send a delivery again now (dead ones get a fresh 24 h window). */
export async function replayWebhook(actor: Actor, runId: string, deliveryId: string) {
  requirePermission(actor, "runs:write");
  const d = await db().webhookDelivery.findFirst({ where: { id: deliveryId, runId } });
  if (!d) throw new ApiError("not_found", `Run ${runId} has no webhook delivery ${deliveryId}.`);
  if (d.status === "pending") throw new ApiError("conflict", "This delivery is about to be sent; wait for its first try.");
  await db().webhookDelivery.update({ where: { id: d.id }, data: { status: "retrying", nextAttemptAt: new Date(), createdAt: d.status === "dead" ? new Date() : undefined } });
  await audit(db(), actor, "webhook.replay", { type: "run", id: runId }, { deliveryId });
  await schedule(d.id, new Date());
}
