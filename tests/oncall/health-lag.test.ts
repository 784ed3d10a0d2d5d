// Lag-aware health checks against real sandbox ComfyUIs over HTTP and a real PostgreSQL. Flowgate's
// own starvation is made real and deterministic: a synchronous busy loop blocks this process's event
// loop while the check is in flight, so the check's timer fires late. A slow-but-alive endpoint is
// then re-checked with a wider timeout and stored healthy (an on-time check of it is stored down);
// a genuinely down one (connection refused) is stored down and raises the on-call condition even
// while we are starved.
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { checkEndpointHealth } from "@/lib/endpoints/health";
import { currentConditions } from "@/lib/oncall/evaluate-alerts";
import { systemCtx } from "@/lib/context";
import { closeDb, db } from "@/lib/db";
import { sandboxEndpoint } from "../helpers/world";

process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
const sandboxes: SandboxHandle[] = [];

afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  await closeDb();
});

/** Blocks the event loop for `ms`, starting `afterMs` from now (the check's request is in flight by then). */
function starve(ms: number, afterMs = 50) {
  setTimeout(() => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      /* starved */
    }
  }, afterMs);
}

const load = (id: string) => db().endpoint.findUniqueOrThrow({ where: { id } });
const rows = (endpointId: string) => db().endpointHealth.findMany({ where: { endpointId }, orderBy: { checkedAt: "asc" } });
const conditions = () => currentConditions(systemCtx(), { stuckAfterSeconds: 86_400, failureRatePercent: 100, failureMinRuns: 1_000_000 });

describe("lag-aware health checks", () => {
  it("an on-time check that times out is stored down; the same timeout while Flowgate is starved is re-checked wider and stored healthy", async () => {
    // Answers every request after 1 s; the endpoint's own timeout is 300 ms.
    const slow = await startSandbox({ execMs: 100, latencyMs: 1000 });
    sandboxes.push(slow);

    const onTime = await sandboxEndpoint(slow.url, { config: { baseUrl: slow.url, timeoutMs: 300 } });
    const a = await checkEndpointHealth(await load(onTime.id));
    // (On a machine so loaded that even this check ran starved, it was re-checked too: then it is not a control.)
    if (!(a.details as { rechecks?: number } | undefined)?.rechecks) {
      expect(a).toMatchObject({ ok: false, details: { code: "timeout" } });
      expect(a.inconclusive).toBeUndefined();
      expect((await rows(onTime.id)).map((r) => r.ok)).toEqual([false]);
    }

    const starved = await sandboxEndpoint(slow.url, { config: { baseUrl: slow.url, timeoutMs: 300 } });
    starve(700);
    const b = await checkEndpointHealth(await load(starved.id));
    expect(b.ok).toBe(true);
    expect(b.details).toMatchObject({ rechecks: 1 });
    const stored = await rows(starved.id);
    expect(stored.map((r) => r.ok)).toEqual([true]);
    expect((stored[0].details as { lagMs: number }).lagMs).toBeGreaterThanOrEqual(200);
    expect((await conditions()).map((c) => c.key)).not.toContain(`endpoint:${starved.id}`);
  }, 60_000);

  it("a genuinely down endpoint is still stored down while Flowgate is starved, and raises the on-call condition", async () => {
    const s = await startSandbox({ execMs: 100 });
    const ep = await sandboxEndpoint(s.url, { config: { baseUrl: s.url, timeoutMs: 300 } });
    expect((await checkEndpointHealth(await load(ep.id))).ok).toBe(true);
    await s.close(); // connection refused from now on
    starve(700, 0);
    const down = await checkEndpointHealth(await load(ep.id));
    expect(down.ok).toBe(false);
    expect(down.inconclusive).toBeUndefined();
    expect((await rows(ep.id)).map((r) => r.ok)).toEqual([true, false]);
    expect((await conditions()).map((c) => c.key)).toContain(`endpoint:${ep.id}`);
  }, 60_000);
});
