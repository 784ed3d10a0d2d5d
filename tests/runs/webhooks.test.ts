// Webhooks: Standard Webhooks signatures, retries while the receiver is down, dead after the
// window, replay; private webhook URLs refused unless an operator allows them.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { createRun } from "@/lib/runs/create-run";
import { closeDb, db } from "@/lib/db";
import { deliverWebhook } from "@/lib/webhooks/deliver-webhook";
import { deploymentWebhookSecret } from "@/lib/webhooks/deployment-webhook-secret";
import { replayWebhook } from "@/lib/webhooks/replay-webhook";
import { deployment, loraVersion, sandboxEndpoint, until, waitForTerminal } from "../helpers/world";
import { systemCtx } from "@/lib/context";

process.env.FLOWGATE_POLL_MS = "100";
process.env.FLOWGATE_WEBHOOK_SCHEDULE_MS = "100,200";
process.env.FLOWGATE_WEBHOOK_WINDOW_MS = "1500";

let sandbox: SandboxHandle;
let worker: WorkerHandle;
let receiver: http.Server;
let receiverUrl: string;
let mode: "down" | "up" = "down";
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let slug: string;
let deploymentId: string;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint,webhook";
  sandbox = await startSandbox({ execMs: 100 });
  worker = await startWorker({ concurrency: 10, healthMs: 0 });
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(mode === "up" ? 204 : 503).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const ep = await sandboxEndpoint(sandbox.url);
  const d = await deployment((await loraVersion()).id, [ep.id]);
  slug = d.slug;
  deploymentId = d.id;
});

afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  receiver?.close();
  await closeDb();
});


describe("webhooks", () => {
  it("retries a receiver that is down, marks the delivery dead, and a replay delivers the same signed message", async () => {
    mode = "down";
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "hook" }, webhook: receiverUrl } } });
    const run = await waitForTerminal(runId);
    expect(run.status).toBe("succeeded");

    const dead = await until(() => db().webhookDelivery.findFirst({ where: { runId, status: "dead" }, include: { attempts: true } }));
    expect(dead.eventType).toBe("run.succeeded");
    expect(dead.attempts.length).toBeGreaterThanOrEqual(2);
    expect(dead.attempts.every((a) => a.statusCode === 503 && a.durationMs >= 0)).toBe(true);

    mode = "up";
    const before = received.length;
    await replayWebhook({ ctx: systemCtx(), input: { runId: runId, deliveryId: dead.id } });
    await until(() => db().webhookDelivery.findFirst({ where: { id: dead.id, status: "delivered" } }));
    const last = received[received.length - 1];
    expect(received.length).toBeGreaterThan(before);

    // Same message id on every try; the signature verifies with the deployment's secret.
    expect(new Set(received.filter((r) => r.headers["webhook-id"] === dead.id).map((r) => r.body)).size).toBe(1);
    const secret = await deploymentWebhookSecret({ ctx: systemCtx(), input: { deploymentId: deploymentId } });
    const verified = new Webhook(secret.replace(/^whsec_/, "")).verify(last.body, {
      "webhook-id": String(last.headers["webhook-id"]),
      "webhook-timestamp": String(last.headers["webhook-timestamp"]),
      "webhook-signature": String(last.headers["webhook-signature"]),
    }) as { type: string; data: { id: string; status: string } };
    expect(verified.type).toBe("run.succeeded");
    expect(verified.data).toMatchObject({ id: runId, status: "succeeded" });
  });

  it("refuses a webhook URL on a private address unless an operator allows it", async () => {
    process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
    const err = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "x" }, webhook: "http://127.0.0.1:9/hook" } } }).catch((e) => e);
    expect(err.code).toBe("url_not_allowed");
    const err2 = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "x" }, webhook: "http://169.254.169.254/latest" } } }).catch((e) => e);
    expect(err2.code).toBe("url_not_allowed");
    process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint,webhook";
  });

  it("a receiver that hangs never holds up dispatch: runs start while every webhook slot waits", async () => {
    const hung: http.ServerResponse[] = [];
    const slow = http.createServer((req, res) => {
      req.resume();
      hung.push(res); // never answers (until the end of the test)
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`;
    try {
      // More deliveries hanging than the worker has queue slots (10).
      const withHooks = await Promise.all(Array.from({ length: 12 }, (_, i) => createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: `hang ${i}` }, webhook: slowUrl } } })));
      for (const r of withHooks) await waitForTerminal(r.runId);
      await until(async () => hung.length >= 10);
      const t0 = Date.now();
      const { runId } = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "still dispatched" } } } });
      const run = await waitForTerminal(runId, 8_000);
      expect(run.status).toBe("succeeded");
      expect(Date.now() - t0).toBeLessThan(8_000);
    } finally {
      for (const res of hung) res.destroy();
      slow.close();
    }
  });

  it("concurrent replays are serialised: tries never overlap and every POST sent is a recorded attempt (issue #14 row 13)", async () => {
    // A receiver that takes 300 ms and counts how many tries of one message it sees at once.
    let inFlight = 0;
    let maxInFlight = 0;
    const posts: string[] = [];
    const slow = http.createServer((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      req.resume();
      req.on("end", () =>
        setTimeout(() => {
          posts.push(String(req.headers["webhook-id"]));
          inFlight--;
          res.writeHead(503).end();
        }, 300),
      );
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`;
    try {
      const { runId } = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "replays" }, webhook: slowUrl } } });
      await waitForTerminal(runId);
      const dead = await until(() => db().webhookDelivery.findFirst({ where: { runId, status: "dead" } }));
      await until(async () => inFlight === 0);

      // Three replays 60 ms apart (the reported case), then three tries started at the same instant
      // (what two queued jobs for one delivery amount to).
      const replays: Promise<unknown>[] = [];
      for (let i = 0; i < 3; i++) {
        replays.push(replayWebhook({ ctx: systemCtx(), input: { runId: runId, deliveryId: dead.id } }).then(() => "ok", (e) => e.code));
        await new Promise((r) => setTimeout(r, 60));
      }
      const outcomes = await Promise.all(replays);
      expect(outcomes.every((o) => o === "ok" || o === "conflict")).toBe(true);
      expect(outcomes[0]).toBe("ok");
      await until(async () => (await db().webhookDelivery.findUnique({ where: { id: dead.id } }))!.status === "dead" && inFlight === 0, 20_000);
      await db().webhookDelivery.update({ where: { id: dead.id }, data: { status: "retrying", createdAt: new Date() } });
      await Promise.all([deliverWebhook({ ctx: systemCtx(), input: { deliveryId: dead.id } }), deliverWebhook({ ctx: systemCtx(), input: { deliveryId: dead.id } }), deliverWebhook({ ctx: systemCtx(), input: { deliveryId: dead.id } })]);
      // Dead again once its retries ran out; a delivery is marked dead only after its last attempt is recorded.
      await until(async () => (await db().webhookDelivery.findUnique({ where: { id: dead.id } }))!.status === "dead" && inFlight === 0, 20_000);

      const attempts = await db().webhookDeliveryAttempt.findMany({ where: { deliveryId: dead.id }, orderBy: { number: "asc" } });
      const sent = posts.filter((id) => id === dead.id).length;
      expect(maxInFlight).toBe(1);
      expect(attempts.length).toBe(sent);
      expect(attempts.map((a) => a.number)).toEqual(attempts.map((_, i) => i + 1));
      const row = await db().webhookDelivery.findUnique({ where: { id: dead.id } });
      expect(row!.attemptCount).toBe(attempts.length);
    } finally {
      slow.close();
    }
  });
});
