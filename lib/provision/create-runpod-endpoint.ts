// POST /api/v1/provision/runpod-endpoints: create the serverless template and endpoint through RunPod's
// REST API v1 with the user's key (image, GPU types in order, workers min/max, idle timeout, FlashBoot,
// network volume, execution timeout), then register it in Flowgate as a `runpod` endpoint (the key kept
// encrypted as its secret, managementUrl set so Restart and the scaling knobs work), wait for its
// workers, then run the endpoint test (health, pre-flight, a tiny test run). Every step is reported with its duration; a failed step stops the sequence and is audited.
// FLOWGATE_RUNPOD_REST_URL (default https://rest.runpod.io/v1) and FLOWGATE_RUNPOD_API_URL (default
// https://api.runpod.ai) point both at RunPod, or at the sandbox look-alike in tests.
import { audit } from "@/lib/audit/record";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { testEndpoint } from "@/lib/endpoints/test-endpoint";
import { outboundFetch } from "@/lib/net";
import { CreateRunpodEndpointInput, type CreateRunpodEndpointResult } from "./create-runpod-endpoint.types";

export const restUrl = () => (process.env.FLOWGATE_RUNPOD_REST_URL || "https://rest.runpod.io/v1").replace(/\/+$/, "");
export const serverlessUrl = () => (process.env.FLOWGATE_RUNPOD_API_URL || "https://api.runpod.ai").replace(/\/+$/, "");

export async function rest(base: string, method: string, path: string, key: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await outboundFetch(`${base}${path}`, {
    purpose: "endpoint",
    method,
    headers: { Authorization: `Bearer ${key}`, "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: 30_000,
    maxBytes: 1024 * 1024,
  });
  const text = res.body.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status >= 300) {
    const msg = json && typeof json === "object" && "error" in json ? String((json as { error: unknown }).error) : text.slice(0, 200);
    throw new Error(`RunPod ${method} ${path} answered HTTP ${res.status}: ${msg}`);
  }
  return (json && typeof json === "object" ? json : {}) as Record<string, unknown>;
}

/** How long to wait for the new endpoint's workers (image pull): FLOWGATE_RUNPOD_READY_TIMEOUT_MS, default 120 s. */
const readyTimeoutMs = () => Number(process.env.FLOWGATE_RUNPOD_READY_TIMEOUT_MS) || 120_000;

export async function createRunpodEndpoint({ ctx, input }: VerbArgs<CreateRunpodEndpointInput>): Promise<CreateRunpodEndpointResult> {
  requirePermission(ctx.actor, "endpoints:write");
  const i = CreateRunpodEndpointInput.parse(input);
  const REST = (i.restUrl ?? restUrl()).replace(/\/+$/, "");
  const API = (i.apiUrl ?? serverlessUrl()).replace(/\/+$/, "");
  const steps: CreateRunpodEndpointResult["steps"] = [];
  const out: CreateRunpodEndpointResult = { ok: false, endpointId: null, runpodEndpointId: null, templateId: null, testAuditId: null, steps };
  const step = async <T>(name: string, fn: () => Promise<{ value: T; detail: string }>): Promise<T> => {
    const t0 = Date.now();
    try {
      const { value, detail } = await fn();
      steps.push({ step: name, ok: true, ms: Date.now() - t0, detail });
      return value;
    } catch (e) {
      steps.push({ step: name, ok: false, ms: Date.now() - t0, detail: (e as Error).message });
      throw e;
    }
  };
  try {
    const template = await step("template", async () => {
      const t = await rest(REST, "POST", "/templates", i.apiKey, { name: `${i.name} (flowgate)`, imageName: i.image, isServerless: true, containerDiskInGb: i.containerDiskInGb, env: {} });
      if (typeof t.id !== "string") throw new Error("RunPod answered no template id");
      return { value: t.id, detail: `template ${t.id} for ${i.image}` };
    });
    out.templateId = template;
    const rp = await step("endpoint", async () => {
      const e = await rest(REST, "POST", "/endpoints", i.apiKey, {
        templateId: template,
        name: i.name,
        gpuTypeIds: i.gpuTypeIds,
        gpuCount: i.gpuCount,
        workersMin: i.workersMin,
        workersMax: i.workersMax,
        idleTimeout: i.idleTimeout,
        flashboot: i.flashboot,
        executionTimeoutMs: i.executionTimeoutMs,
        scalerType: "QUEUE_DELAY",
        scalerValue: 4,
        ...(i.networkVolumeId ? { networkVolumeId: i.networkVolumeId } : {}),
      });
      if (typeof e.id !== "string") throw new Error("RunPod answered no endpoint id");
      return { value: e.id, detail: `endpoint ${e.id}: ${i.gpuTypeIds.join(" → ")}, workers ${i.workersMin}–${i.workersMax}, idle ${i.idleTimeout} s${i.flashboot ? ", FlashBoot" : ""}` };
    });
    out.runpodEndpointId = rp;
    const ep = await step("register", async () => {
      const row = await createEndpoint({
        ctx,
        input: {
          name: i.name,
          provider: "runpod",
          config: { endpointId: rp, baseUrl: API, managementUrl: REST, executionTimeoutMs: i.executionTimeoutMs, scaling: { workersMin: i.workersMin, workersMax: i.workersMax, idleTimeout: i.idleTimeout, flashboot: i.flashboot } },
          secret: i.apiKey,
          gpu: i.gpuTypeIds[0],
          ...(i.pricePerHourUsd !== undefined ? { pricePerHourUsd: i.pricePerHourUsd } : {}),
        },
      });
      return { value: row.id, detail: `registered as Flowgate endpoint ${row.id}` };
    });
    out.endpointId = ep;
    await step("workers", async () => {
      const deadline = Date.now() + readyTimeoutMs();
      for (;;) {
        const res = await outboundFetch(`${API}/v2/${rp}/health`, { purpose: "endpoint", headers: { Authorization: `Bearer ${i.apiKey}` }, timeoutMs: 15_000 });
        const h = JSON.parse(res.body.toString("utf8") || "{}") as { workers?: Record<string, number> };
        const w = h.workers ?? {};
        if ((w.unhealthy ?? 0) > 0 && (w.ready ?? 0) + (w.idle ?? 0) + (w.running ?? 0) === 0) throw new Error("the endpoint's workers are unhealthy: the image did not build or pull");
        if (res.status === 200 && (w.initializing ?? 0) === 0) return { value: undefined, detail: `workers ready (${w.idle ?? 0} idle, ${w.running ?? 0} running)` };
        if (Date.now() > deadline) throw new Error(`workers still initializing after ${Math.round(readyTimeoutMs() / 1000)} s (image pull)`);
        await new Promise((r) => setTimeout(r, 500));
      }
    });
    // The endpoint test verb (on-call's "Test run"): health, pre-flight (node definitions where the
    // provider serves them; RunPod does not, so it says so) and a tiny EmptyImage → SaveImage run through
    // the adapter, as steps of this sequence (it writes its own `endpoint.test_run` audit row).
    const test = await testEndpoint({ ctx, input: { id: ep, timeoutSeconds: i.testRunTimeoutSeconds } });
    for (const s of test.steps) steps.push({ step: s.name === "run" ? "test_run" : s.name, ok: s.ok, ms: Math.round(s.ms), detail: s.message });
    out.testAuditId = test.auditId;
    if (!test.ok) throw new Error("the test run failed");
    out.ok = true;
  } catch {
    out.ok = false;
  }
  await db().$transaction((tx) =>
    audit(tx, ctx.actor, "provision.runpod_endpoint", { type: "endpoint", id: out.endpointId }, { image: i.image, steps: steps.map((s) => `${s.step}:${s.ok ? "ok" : "failed"}`) }, {
      outcome: out.ok ? "ok" : "failed",
      after: { runpodEndpointId: out.runpodEndpointId, templateId: out.templateId, gpuTypeIds: i.gpuTypeIds, workersMin: i.workersMin, workersMax: i.workersMax, idleTimeout: i.idleTimeout, flashboot: i.flashboot },
    }),
  );
  return out;
}
