// "Test run" of an endpoint (on-call): a health check, a pre-flight (the node definitions hold the
// two core nodes of the tiny workflow, where the provider serves them) and a tiny run — EmptyImage
// 64×64 → SaveImage — submitted, watched and (on timeout) cancelled through the same adapter calls
// a run's attempt makes. No Run row is written (it is not a deployment's run); the audit row is:
// `endpoint.test_run`, pending before the provider is called, then ok / failed with each step.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { audit, setAuditOutcome } from "@/lib/audit/record";
import { actorName } from "@/lib/audit/actor-name";
import { getProvider } from "@/lib/providers/registry";
import type { ApiPrompt } from "@/lib/providers/types";
import { checkEndpointHealth, endpointObjectInfo } from "./health";
import { toTarget } from "./target";
import { loadEndpoint } from "./load-endpoint";
import { TestEndpointInput, type TestEndpointOutput } from "./test-endpoint.types";

const TINY: ApiPrompt = {
  "1": { class_type: "EmptyImage", inputs: { width: 64, height: 64, batch_size: 1, color: 0 } },
  "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: "flowgate-test-run" } },
};

export async function testEndpoint({ ctx, input }: VerbArgs<TestEndpointInput>): Promise<TestEndpointOutput> {
  requirePermission(ctx.actor, "endpoints:operate");
  const { id, timeoutSeconds } = TestEndpointInput.parse(input);
  const ep = await loadEndpoint(id);
  const name = actorName(ctx.actor);
  const row = await db().$transaction((tx) => audit(tx, ctx.actor, "endpoint.test_run", { type: "endpoint", id }, { actorName: name }, { outcome: "pending" }));
  const started = Date.now();
  const steps: TestEndpointOutput["steps"] = [];
  const step = async (stepName: TestEndpointOutput["steps"][number]["name"], fn: () => Promise<string>) => {
    const t = Date.now();
    try {
      steps.push({ name: stepName, ok: true, ms: Date.now() - t, message: await fn() });
      steps[steps.length - 1].ms = Date.now() - t;
      return true;
    } catch (e) {
      steps.push({ name: stepName, ok: false, ms: Date.now() - t, message: e instanceof Error ? e.message : String(e) });
      return false;
    }
  };
  const provider = getProvider(ep.provider);
  const target = toTarget(ep);
  const ok =
    (await step("health", async () => {
      const h = await checkEndpointHealth(ep);
      if (!h.ok) throw new Error(h.message ?? "the health check failed");
      return `answered in ${Math.round(h.latencyMs)} ms${h.queueDepth !== undefined ? `, queue ${h.queueDepth}` : ""}`;
    })) &&
    (await step("preflight", async () => {
      if (!provider.nodeDefinitions) return `${ep.provider} does not serve node definitions; skipped`;
      const info = await endpointObjectInfo(ep, { refresh: true });
      const missing = ["EmptyImage", "SaveImage"].filter((c) => !info || !(c in info));
      if (missing.length) throw new Error(`the endpoint has no ${missing.join(", ")} node`);
      return `${Object.keys(info ?? {}).length} node types`;
    })) &&
    (await step("run", async () => {
      const attemptId = `test_${randomUUID().replace(/-/g, "").slice(0, 20)}`;
      const { providerJobId } = await provider.submit(target, { runId: attemptId, attemptId, prompt: TINY, images: [] });
      const deadline = Date.now() + timeoutSeconds * 1000;
      for (;;) {
        const s = await provider.status(target, providerJobId);
        if (s.state === "succeeded") return `EmptyImage → SaveImage finished (${s.outputs.length} output${s.outputs.length === 1 ? "" : "s"}, job ${providerJobId})`;
        if (s.state === "failed") throw new Error(`the tiny run failed: ${s.error.message}`);
        if (s.state === "canceled") throw new Error("the tiny run was cancelled at the provider");
        if (Date.now() > deadline) {
          await provider.cancel(target, providerJobId).catch(() => {});
          throw new Error(`the tiny run did not finish in ${timeoutSeconds} s (still ${s.state}${s.state === "queued" ? " in the provider's queue" : ""}); cancelled`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }));
  const totalMs = Date.now() - started;
  await setAuditOutcome(db(), row.id, ok ? "ok" : "failed", { actorName: name, message: steps.map((s) => `${s.name}: ${s.ok ? "ok" : "failed"} — ${s.message}`).join("; "), totalMs });
  return { endpointId: id, ok, steps, totalMs, auditId: row.id };
}
