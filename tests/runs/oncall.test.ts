// On-call actions and what runs say about them, against sandbox ComfyUI servers over real HTTP with
// a real worker and PostgreSQL: an attempt an on-call Restart interrupts is labelled as such (who,
// which endpoint, where the run went next) and does not use up the run's attempts; a run whose
// every target is drained waits in the queue for one (and starts when it is enabled), or ends
// timed_out with code no_target after the deployment's timeout — it does not fail at once.
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { createRun } from "@/lib/runs/create-run";
import { getRun } from "@/lib/runs/get-run";
import { operateEndpoint } from "@/lib/endpoints/operate-endpoint";
import { setEndpointDisabled } from "@/lib/endpoints/set-endpoint-disabled";
import { db } from "@/lib/db";
import { deployment, engineWorld, sandboxEndpoint, waitForStatus, waitForTerminal } from "../helpers/world";
import { systemCtx, requestCtx } from "@/lib/context";

const w = engineWorld({ FLOWGATE_TARGET_RECHECK_MS: "300" });
const sandbox = w.sandbox;
const oncall: Actor = { type: "apiKey", id: "key_oncall_test", name: "pager bot", role: "oncall" };

describe("on-call actions seen from the runs", () => {
  it("labels an attempt an on-call Restart interrupted with who did it and where the run went next", async () => {
    const slow = await sandbox({ execMs: 4000 });
    const good = await sandbox();
    const a = await sandboxEndpoint(slow.url);
    const b = await sandboxEndpoint(good.url);
    // maxAttempts 1: the interrupted attempt must not use up the run's only attempt
    const d = await deployment(w.versionId, [a.id, b.id], { maxAttempts: 1 });
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "restart me" } } } });
    await waitForStatus(runId, ["running"]);
    await operateEndpoint({ ctx: requestCtx(oncall), input: { id: a.id, action: "restart" } });
    const run = await waitForTerminal(runId);
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toHaveLength(2);
    const first = run.attempts[0] as unknown as { endpointId: string; status: string; error: { code: string; message: string; details: Record<string, unknown> } };
    expect(first.endpointId).toBe(a.id);
    expect(first.error.code).toBe("oncall_restart");
    expect(first.error.message).toContain(`Interrupted by an on-call restart of "${a.name}" by API key "pager bot"`);
    expect(first.error.message).toContain(`Retried on "${b.name}" as attempt 2.`);
    expect(first.error.message).not.toContain("not by Flowgate");
    expect(first.error.details).toMatchObject({ action: "endpoint.restart", actor: { type: "apiKey", id: oncall.id, name: 'API key "pager bot"' } });
    expect(run.attempts[1]).toMatchObject({ endpointId: b.id, status: "succeeded" });

    const rows = await db().auditLog.findMany({ where: { targetType: "endpoint", targetId: a.id, action: { startsWith: "endpoint.restart" } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "endpoint.restart", actorId: oncall.id, outcome: "ok" });
  });

  it("labels a queued attempt an on-call Purge dropped as such", async () => {
    const slow = await sandbox({ execMs: 3000 });
    const good = await sandbox();
    const a = await sandboxEndpoint(slow.url);
    const b = await sandboxEndpoint(good.url);
    const d = await deployment(w.versionId, [a.id, b.id]);
    const first = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "runs first" } } } });
    await waitForStatus(first.runId, ["running"]);
    const second = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "waits behind it" } } } });
    await waitForStatus(second.runId, ["submitted"]);
    await operateEndpoint({ ctx: requestCtx(oncall), input: { id: a.id, action: "purge-queue" } });
    const run = await waitForTerminal(second.runId);
    expect(run.status).toBe("succeeded");
    const dropped = run.attempts[0] as unknown as { endpointId: string; error: { code: string; message: string } };
    expect(dropped.endpointId).toBe(a.id);
    expect(dropped.error.code).toBe("oncall_purge");
    expect(dropped.error.message).toContain(`Interrupted by an on-call queue purge of "${a.name}" by API key "pager bot"`);
    expect(dropped.error.message).toContain(`Retried on "${b.name}" as attempt 2.`);
    // the running job was left alone by the purge
    expect((await waitForTerminal(first.runId)).attempts).toHaveLength(1);
  });

  it("a run whose only target is drained waits in the queue, and starts when the target is enabled", async () => {
    const s = await sandbox();
    const a = await sandboxEndpoint(s.url);
    const d = await deployment(w.versionId, [a.id], { timeoutSeconds: 120 });
    const drained = await setEndpointDisabled({ ctx: requestCtx(oncall), input: { id: a.id, disabled: true } });
    expect(drained.impact?.deploymentsWithoutTarget.map((x) => x.slug)).toEqual([d.slug]);
    expect(drained.impact?.warning).toMatch(/wait in the queue/);

    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "wait for me" } } } });
    const until = Date.now() + 10_000;
    let run = await getRun(runId);
    while (!(run.progress as { waitingFor?: string } | null)?.waitingFor && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      run = await getRun(runId);
    }
    expect(run.status).toBe("queued");
    expect(run.progress).toMatchObject({ waitingFor: "enabled_target" });
    expect((run.progress as { message: string }).message).toContain(a.name);
    // still waiting a while later: not failed with no_target at once
    await new Promise((r) => setTimeout(r, 1000));
    expect((await getRun(runId)).status).toBe("queued");

    const enabled = await setEndpointDisabled({ ctx: requestCtx(oncall), input: { id: a.id, disabled: false } });
    expect(enabled.impact).toBeNull();
    const done = await waitForTerminal(runId);
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toHaveLength(1);
  });

  it("a run still without an enabled target at its deployment's timeout ends timed_out with no_target", async () => {
    const s = await sandbox();
    const a = await sandboxEndpoint(s.url);
    const d = await deployment(w.versionId, [a.id], { timeoutSeconds: 5 });
    await setEndpointDisabled({ ctx: requestCtx(oncall), input: { id: a.id, disabled: true } });
    const t0 = Date.now();
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "never runs" } } } });
    const run = await waitForTerminal(runId, 20_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4500);
    expect(run.status).toBe("timed_out");
    expect(run.error).toMatchObject({ code: "no_target" });
    expect((run.error as { message: string }).message).toContain(`"${a.name}"`);
    expect(run.attempts).toHaveLength(0);
  });
});
