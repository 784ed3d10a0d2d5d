// The transactional outbox, end to end: a worker "dies" (a SimulatedCrash thrown at an engine crash
// point; its lease is left behind as a dead process leaves it) at each step of the success path, a
// fresh worker takes the run over, and the run still ends succeeded with its cost and exactly one
// webhook delivery (one row, one POST received).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { createRun } from "@/lib/runs/create-run";
import { closeDb, db, pool } from "@/lib/db";
import { CRASH_POINTS, SimulatedCrash, setCrashHook } from "@/lib/runs/engine/faults";
import { deployment, loraVersion, sandboxEndpoint, until, waitForTerminal } from "../helpers/world";
import { systemCtx } from "@/lib/context";

process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint,webhook";
process.env.FLOWGATE_POLL_MS = "100";

let sandbox: SandboxHandle;
let receiver: http.Server;
let receiverUrl: string;
const received: { id: string; body: string }[] = [];
let slug: string;
let runpod: SandboxHandle;
let runpodSlug: string;

const workerOpts = { concurrency: 5, healthMs: 0, sweepMs: 200 };

beforeAll(async () => {
  // Long enough that the engine sees the attempt running before it succeeds.
  sandbox = await startSandbox({ execMs: 1500 });
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ id: String(req.headers["webhook-id"]), body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const ep = await sandboxEndpoint(sandbox.url);
  const version = await loraVersion();
  slug = (await deployment(version.id, [ep.id])).slug;
  // RunPod has no idempotent submit: an interrupted submit is written off, not resent.
  runpod = await startSandbox({ provider: "runpod", execMs: 300, apiKey: "rp-secret" });
  const rp = await sandboxEndpoint(runpod.url, { provider: "runpod", config: { endpointId: "ep-crash", baseUrl: runpod.url }, secret: "rp-secret" });
  runpodSlug = (await deployment(version.id, [rp.id])).slug;
});

afterAll(async () => {
  setCrashHook(null);
  await sandbox?.close();
  await runpod?.close();
  receiver?.close();
  await closeDb();
});


async function crashAndResume(point: (typeof CRASH_POINTS)[number], deploymentSlug: () => string) {
  let crashedRun: string | null = null;
  setCrashHook((p, runId) => {
    if (p !== point || crashedRun) return;
    crashedRun = runId;
    throw new SimulatedCrash(p);
  });
  const first: WorkerHandle = await startWorker(workerOpts);
  let second: WorkerHandle | null = null;
  try {
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: deploymentSlug(), body: { inputs: { prompt: `crash at ${point}` }, webhook: receiverUrl } } });
    await until(async () => crashedRun === runId, 20_000);
    await first.stop();
    setCrashHook(null);
    // What the dead worker left: its lease, still held. Time passes until it expires.
    const held = await pool().query(`SELECT "leaseOwner" FROM "Run" WHERE id = $1`, [runId]);
    expect(held.rows[0].leaseOwner).toBe(first.workerId);
    await pool().query(`UPDATE "Run" SET "leaseExpiresAt" = now() - interval '1 second' WHERE id = $1`, [runId]);

    second = await startWorker(workerOpts);
    const run = await waitForTerminal(runId, 30_000);
    expect(run.status).toBe("succeeded");

    const row = await db().run.findUniqueOrThrow({ where: { id: runId }, include: { attempts: true, outputs: true } });
    const attemptCost = row.attempts.reduce((sum, a) => sum + Number(a.costUsd), 0);
    expect(Number(row.costUsd)).toBeGreaterThan(0);
    expect(Number(row.costUsd)).toBeCloseTo(attemptCost, 6);
    const won = row.attempts.filter((a) => a.status === "succeeded");
    expect(won).toHaveLength(1);
    expect(row.outputs.length).toBeGreaterThan(0);
    expect(row.outputs.every((o) => o.attemptId === won[0].id)).toBe(true);

    const deliveries = await db().webhookDelivery.findMany({ where: { runId } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].eventType).toBe("run.succeeded");
    await until(() => db().webhookDelivery.findFirst({ where: { id: deliveries[0].id, status: "delivered" } }));
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((x) => x.id === deliveries[0].id)).toHaveLength(1);
    const events = await db().runEvent.findMany({ where: { runId, type: "status" } });
    expect(events.filter((e) => (e.data as { status?: string }).status === "succeeded")).toHaveLength(1);
    return row;
  } finally {
    setCrashHook(null);
    await first.stop().catch(() => {});
    await second?.stop();
  }
}

describe("a worker killed at each step of the success path", () => {
  for (const point of CRASH_POINTS) {
    it(`dies at ${point}: the run still ends succeeded, with its cost and exactly one webhook delivery`, async () => {
      const row = await crashAndResume(point, () => slug);
      // ComfyUI gets our own prompt id: whatever step it died at, the job was never submitted twice.
      expect(row.attempts).toHaveLength(1);
    });
  }

  it("dies between the provider accepting a job and the submit being recorded, on a provider without idempotent submit: written off, retried once", async () => {
    const row = await crashAndResume("attempt.sent", () => runpodSlug);
    expect(row.attempts.map((a) => a.status).sort()).toEqual(["lost", "succeeded"]);
    expect(row.attempts.find((a) => a.status === "lost")?.error).toMatchObject({ code: "submit_interrupted" });
  });
});
