// Per-endpoint concurrency bounds of a worker (lib/runs/engine/limit.ts): status calls have their
// own slots (FLOWGATE_STATUS_CONCURRENCY), separate from submits, so a worker driving many runs keeps
// a few connections to a server busy instead of polling with one request (and connection) per run.
// Counts, not timings: in-flight requests are counted at a proxy in front of a sandbox ComfyUI.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createRun } from "@/lib/runs/create-run";
import { systemCtx } from "@/lib/context";
import { endpointSlots, withEndpointSlot } from "@/lib/runs/engine/limit";
import { deployment, engineWorld, sandboxEndpoint, waitForTerminal } from "../helpers/world";

const w = engineWorld({ FLOWGATE_STATUS_CONCURRENCY: "2" });

/** A proxy that holds every GET /history/<id> for `holdMs` and counts how many were in flight at once. */
async function countingProxy(target: string, holdMs: number) {
  const stats = { history: 0, inFlight: 0, maxInFlight: 0 };
  const up = new URL(target);
  const server = http.createServer((req, res) => {
    const history = req.method === "GET" && /^(\/api)?\/history\/[^/]+$/.test(new URL(req.url ?? "/", "http://x").pathname);
    if (history) {
      stats.history++;
      stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
    }
    const forward = () => {
      const p = http.request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
        r.on("end", () => history && stats.inFlight--);
      });
      p.on("error", () => {
        if (history) stats.inFlight--;
        res.destroy();
      });
      req.pipe(p);
    };
    if (history) setTimeout(forward, holdMs);
    else forward();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

describe("per-endpoint slots", () => {
  it("bounds status calls per endpoint on their own slots: a submit never waits behind polls", async () => {
    const ep = "ep_slots_unit";
    const release: (() => void)[] = [];
    const polls = Array.from({ length: 30 }, (_, i) => withEndpointSlot(ep, () => new Promise<number>((r) => release.push(() => r(i))), "status"));
    await new Promise((r) => setImmediate(r));
    expect(endpointSlots(ep, "status")).toEqual({ active: 2, waiting: 28 });
    expect(release).toHaveLength(2);
    // All status slots are taken; a submit to the same endpoint still goes straight through.
    await expect(withEndpointSlot(ep, async () => "submitted")).resolves.toBe("submitted");
    expect(endpointSlots(ep, "submit")).toEqual({ active: 0, waiting: 0 });
    // Each finished call hands its slot to the next in line: never more than 2 at once.
    for (let done = 0; done < 30; done++) {
      expect(release.length - done).toBeLessThanOrEqual(2);
      release[done]();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(polls)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(endpointSlots(ep, "status")).toEqual({ active: 0, waiting: 0 });
  });

  it("a worker driving many runs on one endpoint never has more status calls in flight there than the bound", async () => {
    const sb = await w.sandbox({ execMs: 600 });
    const proxy = await countingProxy(sb.url, 40);
    try {
      const ep = await sandboxEndpoint(proxy.url);
      const d = await deployment(w.versionId, [ep.id]);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push((await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: `slots ${i}` } } } })).runId);
      const runs = await Promise.all(ids.map((id) => waitForTerminal(id, 60_000)));
      expect(runs.map((r) => r.status)).toEqual(ids.map(() => "succeeded"));
      expect(runs.map((r) => r.attempts.length)).toEqual(ids.map(() => 1));
      // 12 runs polled every 100 ms with each poll held 40 ms: unbounded, several would overlap.
      expect(proxy.stats.history).toBeGreaterThanOrEqual(12);
      expect(proxy.stats.maxInFlight).toBeLessThanOrEqual(2);
    } finally {
      await proxy.close();
    }
  });
});
