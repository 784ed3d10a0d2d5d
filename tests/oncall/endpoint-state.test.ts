// The on-call state of an endpoint (lib/endpoints/get-endpoint-state.ts), over a real RunPod
// look-alike with its `stuck` fault, a real worker and PostgreSQL: runs pile up in its queue, the
// state says degraded with the queue depth (and the overview lists it), an on-call Restart — the
// same purge + Max Workers 0 → n calls a real RunPod restart makes — recovers it and the runs complete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { systemCtx, type Ctx } from "@/lib/context";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { createRun } from "@/lib/runs/create-run";
import { checkEndpointHealth } from "@/lib/endpoints/health";
import { classify, getEndpointState, type StateFacts } from "@/lib/endpoints/get-endpoint-state";
import { getOverview } from "@/lib/oncall/get-overview";
import { operateEndpoint } from "@/lib/endpoints/operate-endpoint";
import { setEndpointDisabled } from "@/lib/endpoints/set-endpoint-disabled";
import { testEndpoint } from "@/lib/endpoints/test-endpoint";
import { closeDb, db } from "@/lib/db";
import { deployment, loraVersion, until, waitForTerminal } from "../helpers/world";

process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
process.env.FLOWGATE_POLL_MS = "100";
process.env.FLOWGATE_LEASE_MS = "2000";

const oncall: Ctx = { actor: { type: "apiKey", id: "key_oncall_state", name: "pager", role: "oncall" }, requestId: "req_oncall_state" };
let runpod: SandboxHandle;
let worker: WorkerHandle;
let versionId: string;

beforeAll(async () => {
  runpod = await startSandbox({ provider: "runpod", execMs: 150, stuck: true, workers: 2, apiKey: "rp-key" } as Parameters<typeof startSandbox>[0]);
  worker = await startWorker({ concurrency: 10, healthMs: 0, sweepMs: 500 });
  versionId = (await loraVersion()).id;
});

afterAll(async () => {
  await worker?.stop();
  await runpod?.close();
  await closeDb();
});

const facts = (f: Partial<StateFacts>): StateFacts => ({
  disabled: false,
  lastCheck: { ok: true, message: null, checkedAt: new Date(), answered: true },
  queueDepth: 0,
  workers: null,
  queuedAtProvider: 0,
  oldestQueuedMs: null,
  succeeded: 0,
  failed: 0,
  now: new Date(),
  ...f,
});

describe("classify: the one definition", () => {
  it("names each state with its reasons", () => {
    expect(classify(facts({})).state).toBe("healthy");
    expect(classify(facts({ disabled: true, lastCheck: { ok: false, message: "x", checkedAt: new Date(), answered: false } })).state).toBe("disabled");
    const down = classify(facts({ lastCheck: { ok: false, message: "connect ECONNREFUSED", checkedAt: new Date(), answered: false } }));
    expect(down).toEqual({ state: "down", reasons: ["Unreachable: connect ECONNREFUSED"] });
    expect(classify(facts({ lastCheck: { ok: false, message: "3 job(s) queued but no worker can start", checkedAt: new Date(), answered: true } })).state).toBe("degraded");
    expect(classify(facts({ queuedAtProvider: 2, oldestQueuedMs: 90_000 })).reasons[0]).toContain("oldest for 90 s");
    expect(classify(facts({ succeeded: 1, failed: 3 })).state).toBe("degraded");
    expect(classify(facts({ succeeded: 1, failed: 1 })).state).toBe("healthy"); // too few to judge
    expect(classify(facts({ lastCheck: null, queueDepth: null })).state).toBe("unknown");
    const stale = new Date(Date.now() - 11 * 60_000);
    expect(classify(facts({ lastCheck: { ok: false, message: "old", checkedAt: stale, answered: false } })).state).toBe("unknown");
  });
});

describe("a stuck RunPod endpoint", () => {
  it("is degraded with its queue depth, and an on-call Restart recovers it so the queued runs complete", async () => {
    const ep = await createEndpoint({
      ctx: systemCtx(),
      input: {
        name: `runpod-stuck-${Date.now().toString(36)}`,
        provider: "runpod",
        config: { endpointId: "sbx", baseUrl: runpod.url, managementUrl: `${runpod.url}/v1` },
        secret: "rp-key",
        pricePerHourUsd: 2,
      },
    });
    const d = await deployment(versionId, [ep.id], { stuckAfterSeconds: 3600, timeoutSeconds: 300 });
    const runIds: string[] = [];
    for (let i = 0; i < 3; i++) runIds.push((await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: `stuck ${i}` } } } })).runId);
    const ctx = systemCtx();
    await until(async () => (await getEndpointState({ ctx, input: { id: ep.id } })).queuedAtProvider === 3, 20_000, () => "3 attempts never reached the RunPod queue");
    await checkEndpointHealth(await db().endpoint.findUniqueOrThrow({ where: { id: ep.id } }));
    const state = await getEndpointState({ ctx, input: { id: ep.id } });
    expect(state.state).toBe("degraded");
    expect(state.queueDepth).toBe(3);
    expect(state.workers).toMatchObject({ idle: 0, throttled: 2 });
    expect(state.reasons.join(" ")).toContain("no worker can start");
    expect(state.history?.length).toBeGreaterThan(0);
    const overview = await getOverview({ ctx, input: {} });
    expect(overview.endpoints.find((e) => e.endpointId === ep.id)?.state).toBe("degraded");
    expect(overview.counts.live).toBeGreaterThanOrEqual(3);

    const failedTest = await testEndpoint({ ctx: oncall, input: { id: ep.id, timeoutSeconds: 5 } });
    expect(failedTest.ok).toBe(false);
    expect(failedTest.steps).toEqual([expect.objectContaining({ name: "health", ok: false, message: expect.stringContaining("no worker can start") })]);

    const result = await operateEndpoint({ ctx: oncall, input: { id: ep.id, action: "restart" } });
    expect(result.message).toContain("cycled workers (max workers 0 → 2)");
    try {
      for (const id of runIds) expect((await waitForTerminal(id, 20_000)).status).toBe("succeeded");
    } catch (e) {
      const h = await (await fetch(`${runpod.url}/v2/sbx/health`, { headers: { authorization: "Bearer rp-key" } })).json();
      const atts = await db().runAttempt.findMany({ where: { runId: { in: runIds } }, select: { runId: true, number: true, status: true, providerJobId: true, error: true } });
      throw new Error(`${(e as Error).message}\n${JSON.stringify(h)}\n${JSON.stringify(atts, null, 1)}`);
    }
    await checkEndpointHealth(await db().endpoint.findUniqueOrThrow({ where: { id: ep.id } }));
    const after = await getEndpointState({ ctx, input: { id: ep.id } });
    expect(after.state).toBe("healthy");
    expect(after.lastHour.succeeded).toBe(3);
    expect(after.lastHour.p95Ms).toBeGreaterThan(0);
    const passed = await testEndpoint({ ctx: oncall, input: { id: ep.id } });
    expect(passed.steps.map((st) => [st.name, st.ok])).toEqual([["health", true], ["preflight", true], ["run", true]]);
    expect((await db().auditLog.findUniqueOrThrow({ where: { id: passed.auditId } })).outcome).toBe("ok");

    await setEndpointDisabled({ ctx: oncall, input: { id: ep.id, disabled: true } });
    expect((await getEndpointState({ ctx, input: { id: ep.id } })).state).toBe("disabled");
  }, 120_000);
});
