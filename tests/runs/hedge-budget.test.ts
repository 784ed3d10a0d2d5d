// The deployment's hedge budget in the run engine, against sandbox ComfyUIs over real HTTP with a
// real worker and PostgreSQL: two deployments learn the same fast latency on their first endpoint,
// then that endpoint turns slow (its execution-time knob). The one with a budget races a second
// attempt on its other endpoint (a "late" hedge) and wins there; the one with budget 0 never hedges
// on lateness and just waits for its slow attempt. Asserted on attempts and events, not on times.
import { describe, expect, it } from "vitest";
import { createRun } from "@/lib/runs/create-run";
import { db } from "@/lib/db";
import { systemCtx } from "@/lib/context";
import { MIN_LATENCY_SAMPLES } from "@/lib/runs/engine/decide";
import { deployment, engineWorld, sandboxEndpoint, waitForSettled } from "../helpers/world";
import type { SandboxHandle } from "@/sandbox/index";

// Latencies re-read at once (the drive loop caches them per deployment), so the warm-up counts.
const w = engineWorld({ FLOWGATE_LATENCY_CACHE_MS: "100" });

async function setup(hedgeBudgetPercent: number) {
  const first = await w.sandbox({ execMs: 50 });
  const second = await w.sandbox({ execMs: 50 });
  const a = await sandboxEndpoint(first.url);
  const b = await sandboxEndpoint(second.url);
  // A long silence threshold: the only hedge that can happen here is one on lateness.
  const d = await deployment(w.versionId, [a.id, b.id], { stuckAfterSeconds: 600, timeoutSeconds: 300, hedgeBudgetPercent });
  return { first, a, b, d };
}

/** Enough successful runs, one after the other, for the engine to trust a's latency distribution. */
async function warmUp(slug: string, endpointId: string) {
  for (let i = 0; i < MIN_LATENCY_SAMPLES + 2; i++) {
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: `warm ${i}` } } } });
    const run = await waitForSettled(runId, 60_000);
    expect(run.status).toBe("succeeded");
    expect(run.attempts.map((x) => x.endpointId)).toEqual([endpointId]);
  }
}

const hedgeEvents = async (runId: string) =>
  (await db().runEvent.findMany({ where: { runId, type: "attempt" } })).map((e) => e.data as Record<string, unknown>).filter((x) => x.hedgeOf !== undefined);

describe("hedge budget per deployment", () => {
  it("a deployment with budget 0 never hedges on lateness; one with a budget does, and wins on the other endpoint", async () => {
    const [off, on] = await Promise.all([setup(0), setup(10)]);
    await Promise.all([warmUp(off.d.slug, off.a.id), warmUp(on.d.slug, on.a.id)]);

    // Now a runs far past everything it learned: 8 s with budget 0 (just waited for), 120 s with a budget (raced).
    const slow = (s: SandboxHandle, execMs: number) => s.setFaults({ execMs });
    slow(off.first, 8_000);
    slow(on.first, 120_000);
    const [offRun, onRun] = await Promise.all(
      [off, on].map(async (x) => (await createRun({ ctx: systemCtx(), input: { slug: x.d.slug, body: { inputs: { prompt: "slow now" } } } })).runId),
    );

    const hedged = await waitForSettled(onRun, 90_000);
    expect(hedged.status).toBe("succeeded");
    expect(hedged.attempts).toHaveLength(2);
    expect(hedged.attempts[0]).toMatchObject({ endpointId: on.a.id, status: "canceled", error: expect.objectContaining({ code: "hedge_lost" }) });
    expect(hedged.attempts[1]).toMatchObject({ endpointId: on.b.id, status: "succeeded" });
    expect(await hedgeEvents(onRun)).toEqual([expect.objectContaining({ attempt: 2, hedgeOf: 1, reason: "late" })]);

    const waited = await waitForSettled(offRun, 90_000);
    expect(waited.status).toBe("succeeded");
    expect(waited.attempts).toHaveLength(1);
    expect(waited.attempts[0]).toMatchObject({ endpointId: off.a.id, status: "succeeded" });
    expect(await hedgeEvents(offRun)).toEqual([]);
  }, 240_000);
});
