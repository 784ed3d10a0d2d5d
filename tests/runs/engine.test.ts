// Run engine policy paths against sandbox ComfyUI servers with faults, over real HTTP, with a real
// worker and PostgreSQL: failover after a lost attempt, final errors, timeouts, cancel, resume after
// a worker stops, pre-flight refusal.
import { describe, expect, it } from "vitest";
import { createRun } from "@/lib/runs/create-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { deployment, engineWorld, sandboxEndpoint, until, waitForSettled, waitForStatus, waitForTerminal } from "../helpers/world";
import { systemCtx } from "@/lib/context";

const w = engineWorld();
const sandbox = w.sandbox;

describe("run engine", () => {
  it("retries a lost attempt (ComfyUI restarted and forgot the prompt) on the next target; never reports it as success", async () => {
    const flaky = await sandbox({ restartRate: 1, crashDownMs: 100 });
    const good = await sandbox();
    const a = await sandboxEndpoint(flaky.url);
    const b = await sandboxEndpoint(good.url);
    const d = await deployment(w.versionId, [a.id, b.id]);
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "lost then found" } } } });
    const run = await waitForTerminal(runId);
    expect(run.status).toBe("succeeded");
    expect(run.attempts.length).toBeGreaterThanOrEqual(2);
    expect(run.attempts[0]).toMatchObject({ endpointId: a.id });
    expect(["lost", "failed"]).toContain(run.attempts[0].status);
    expect(run.attempts.at(-1)).toMatchObject({ endpointId: b.id, status: "succeeded" });
    expect(run.outputs.length).toBeGreaterThan(0);
  });

  it("fails a run on an execution error with the failing node, without pointless retries", async () => {
    const failing = await sandbox({ failRate: 1 });
    const ep = await sandboxEndpoint(failing.url);
    const d = await deployment(w.versionId, [ep.id], { maxAttempts: 3 });
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "boom" } } } });
    const run = await waitForTerminal(runId);
    expect(run.status).toBe("failed");
    expect((run.error as { message?: string } | null)?.message).toBeTruthy();
    expect(run.outputs).toHaveLength(0);
  });

  it("times out a run stuck in the provider queue and cancels it there", async () => {
    const stuck = await sandbox({ stuck: true });
    const ep = await sandboxEndpoint(stuck.url);
    const d = await deployment(w.versionId, [ep.id], { timeoutSeconds: 5 });
    const started = Date.now();
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "stuck" } } } });
    const run = await waitForTerminal(runId, 20_000);
    expect(run.status).toBe("timed_out");
    expect((run.error as { code?: string } | null)?.code).toBe("timed_out");
    expect(Date.now() - started).toBeLessThan(5000 + 3000);
    const queue = await (await fetch(`${stuck.url}/queue`)).json();
    const ids = [...queue.queue_pending, ...queue.queue_running].map((q: unknown[]) => q[1]);
    expect(ids).not.toContain(run.attempts[0].providerJobId);
  });

  it("cancels a running run, at the provider too", async () => {
    const slow = await sandbox({ execMs: 8000 });
    const ep = await sandboxEndpoint(slow.url);
    const d = await deployment(w.versionId, [ep.id]);
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "cancel me" } } } });
    await waitForStatus(runId, ["running"]);
    await cancelRun({ ctx: systemCtx(), input: { runId: runId } });
    const run = await waitForTerminal(runId);
    expect(run.status).toBe("canceled");
    await expect(cancelRun({ ctx: systemCtx(), input: { runId: runId } })).rejects.toMatchObject({ code: "run_not_cancelable" });
    await new Promise((r) => setTimeout(r, 500));
    const queue = await (await fetch(`${slow.url}/queue`)).json();
    expect(queue.queue_running.map((q: unknown[]) => q[1])).not.toContain(run.attempts[0].providerJobId);
  });

  it("resumes a run whose worker stopped, without submitting it twice", async () => {
    const slow = await sandbox({ execMs: 2500 });
    const ep = await sandboxEndpoint(slow.url);
    const d = await deployment(w.versionId, [ep.id]);
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "survive" } } } });
    await waitForStatus(runId, ["submitted", "running"]);
    await w.worker.stop(); // the run is mid-flight at the provider
    w.worker = await w.startWorker();
    const run = await waitForTerminal(runId);
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toHaveLength(1);
  });

  it("finishes a run whose attempt succeeded but whose driver stopped before the run's status moved", async () => {
    const ep = await sandboxEndpoint((await sandbox({ stuck: true })).url);
    const d = await deployment(w.versionId, [ep.id]);
    await w.worker.stop();
    let restarted = false;
    try {
      const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "already done" } } } });
      // What a driver that died right after storing the outputs leaves behind.
      await db().runAttempt.create({ data: { id: `att_done_${runId}`, runId, number: 1, endpointId: ep.id, provider: "comfyui", status: "succeeded", providerJobId: "p1", finishedAt: new Date() } });
      await db().runOutput.create({ data: { id: `out_done_${runId}`, runId, attemptId: `att_done_${runId}`, nodeId: "9", filename: "a.png", contentType: "image/png", kind: "image", sizeBytes: 1, storageKey: `outputs/${runId}/a.png` } });
      await db().run.update({ where: { id: runId }, data: { status: "running" } });
      w.worker = await w.startWorker();
      restarted = true;
      const run = await waitForTerminal(runId, 15_000);
      expect(run.status).toBe("succeeded");
      expect(run.attempts).toHaveLength(1); // nothing submitted again
    } finally {
      if (!restarted) w.worker = await w.startWorker();
    }
  });

  it("hedges a run stuck in one provider's queue on the next target and cancels the loser there", async () => {
    const stuck = await sandbox({ stuck: true });
    const good = await sandbox();
    const a = await sandboxEndpoint(stuck.url);
    const b = await sandboxEndpoint(good.url);
    const d = await deployment(w.versionId, [a.id, b.id], { stuckAfterSeconds: 2 });
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "unstick me" } } } });
    const run = await waitForSettled(runId, 25_000);
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toHaveLength(2);
    expect(run.attempts[0]).toMatchObject({ endpointId: a.id, status: "canceled", error: expect.objectContaining({ code: "hedge_lost" }) });
    expect(run.attempts[1]).toMatchObject({ endpointId: b.id, status: "succeeded" });
    const queue = await (await fetch(`${stuck.url}/queue`)).json();
    expect(queue.queue_pending.map((q: unknown[]) => q[1])).not.toContain(run.attempts[0].providerJobId);
    const events = await db().runEvent.findMany({ where: { runId, type: "attempt" }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.data)).toContainEqual(expect.objectContaining({ attempt: 2, hedgeOf: 1, reason: "stuck_in_queue" }));
  });

  it("hedges a running attempt that stops making progress; the first to finish wins and the loser is interrupted", async () => {
    // a: runs for five minutes and reports nothing while it does (a hung node); b: healthy. Without
    // the hedge the run could only finish on a, long after the deadline below: no timing asserted.
    const hung = await sandbox({ execMs: 300_000, wsStall: true });
    const good = await sandbox();
    const a = await sandboxEndpoint(hung.url);
    const b = await sandboxEndpoint(good.url);
    const d = await deployment(w.versionId, [a.id, b.id], { stuckAfterSeconds: 2 });
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "hedge me" } } } });
    const run = await waitForSettled(runId, 120_000);
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toHaveLength(2);
    expect(run.attempts[0]).toMatchObject({ endpointId: a.id, status: "canceled", error: expect.objectContaining({ code: "hedge_lost" }) });
    expect(run.attempts[1]).toMatchObject({ endpointId: b.id, status: "succeeded" });
    expect(run.outputs.length).toBeGreaterThan(0);
    // The loser is no longer running on a's GPU (waited for: the interrupt lands after the cancel is recorded).
    await until(
      async () => {
        const q = await (await fetch(`${hung.url}/queue`)).json();
        return ![...q.queue_running, ...q.queue_pending].map((x: unknown[]) => x[1]).includes(run.attempts[0].providerJobId);
      },
      60_000,
      () => `attempt ${run.attempts[0].providerJobId} still in a's queue`,
      250,
    );
    const events = await db().runEvent.findMany({ where: { runId, type: "attempt" } });
    // Running and silent: "no_progress"; a starved first poll may still have seen it queued.
    expect(events.map((e) => e.data)).toContainEqual(expect.objectContaining({ attempt: 2, hedgeOf: 1, reason: expect.stringMatching(/^(no_progress|stuck_in_queue)$/) }));
  }, 180_000);

  it("does not hedge when there is no other target: a slow run on its only endpoint just runs", async () => {
    const slow = await sandbox({ execMs: 3500, wsStall: true });
    const a = await sandboxEndpoint(slow.url);
    const d = await deployment(w.versionId, [a.id], { stuckAfterSeconds: 1 });
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "patience" } } } });
    const run = await waitForTerminal(runId, 25_000);
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toHaveLength(1);
  });

  it("opens the circuit on an endpoint that keeps failing, so later runs go straight to a healthy one", async () => {
    const down = await sandbox();
    const good = await sandbox();
    const a = await sandboxEndpoint(down.url);
    const b = await sandboxEndpoint(good.url);
    const d = await deployment(w.versionId, [a.id, b.id]);
    await down.close(); // connection refused from now on
    for (let i = 0; i < 3; i++) {
      const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: `warm ${i}` } } } });
      expect((await waitForTerminal(runId)).status).toBe("succeeded");
    }
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "after the breaker" } } } });
    const run = await waitForTerminal(runId);
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toHaveLength(1);
    expect(run.attempts[0].endpointId).toBe(b.id);
  });

  it("refuses, before any run, a deployment whose model is missing on a --strict-models endpoint", async () => {
    const strict = await sandbox({ strictModels: true });
    const ep = await sandboxEndpoint(strict.url);
    const err = await deployment(w.versionId, [ep.id]).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("endpoint_incompatible");
    const bad = (err.details as any).endpoints[0];
    expect(bad.endpointId).toBe(ep.id);
    expect(bad.missingModels.map((m: { name: string }) => m.name)).toContain("v1-5-pruned-emaonly.ckpt");
  });
});
