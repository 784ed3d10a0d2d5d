// Run webhooks, Standard Webhooks–signed, delivered by durable jobs. Every try is recorded; a receiver
// that is down, slow or answers 404 only delays its own delivery (retries with backoff for 24 h),
// never dispatch. A delivery that exhausts its retries is marked dead and can be replayed
// (replay-webhook.ts). Deliveries are created by the run outbox (./outbox.ts, written by lib/runs/events.ts).
import { Webhook } from "standardwebhooks";
import { db, pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { AddressRefusedError, OutboundError, outboundFetch } from "@/lib/net";
import { getRun } from "@/lib/runs/get-run";
import { ApiError } from "@/lib/errors";
import type { VerbArgs } from "@/lib/context";
import { addJob } from "@/lib/queue/add-job";
import { WEBHOOK_TASK } from "./outbox";
import { deploymentWebhookSecret } from "./deployment-webhook-secret";
import { DeliverWebhookInput } from "./deliver-webhook.types";

export { WEBHOOK_TASK };
// Read at use, so operators (and tests) can tune them without a restart of the module graph.
const timeoutMs = () => Number(process.env.FLOWGATE_WEBHOOK_TIMEOUT_MS ?? 10_000);
/** Delay before try n+1 (ms). The last entry repeats until the window closes. */
const schedule_ = () => (process.env.FLOWGATE_WEBHOOK_SCHEDULE_MS ?? "5000,30000,120000,600000,1800000,3600000,7200000,14400000").split(",").map(Number);
const windowMs = () => Number(process.env.FLOWGATE_WEBHOOK_WINDOW_MS ?? 24 * 3600_000);

async function schedule(deliveryId: string, at: Date) {
  await addJob(pool(), { task: WEBHOOK_TASK, payload: { deliveryId }, runAt: at, jobKey: deliveryId, maxAttempts: 1 });
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
export async function deliverWebhook({ ctx, input }: VerbArgs<DeliverWebhookInput>): Promise<void> {
  const { deliveryId } = DeliverWebhookInput.parse(input);
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
    const secret = await deploymentWebhookSecret({ ctx, input: { deploymentId: run.deploymentId } });
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
