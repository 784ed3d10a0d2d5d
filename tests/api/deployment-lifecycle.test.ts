// A deployment's life after it is created, over the real route handlers, a real PostgreSQL, a real
// worker and sandbox ComfyUIs over HTTP: edit (targets in order, timeouts, attempts; pre-flight of
// added targets), pause / resume (409 deployment_paused with how to resume), delete (410 for new
// runs and changes, its runs and their history still readable, slug not reused), roles on every
// write, an audit row for each, and the drain warning of an endpoint that is a deployment's last.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { closeDb, db } from "@/lib/db";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples/api");
const workflow = JSON.parse(fs.readFileSync(path.join(FIX, "lora__lora.json"), "utf8"));

const sandboxes: SandboxHandle[] = [];
let worker: WorkerHandle;
const keys: Record<"admin" | "engineer" | "oncall" | "viewer", string> = { admin: "", engineer: "", oncall: "", viewer: "" };
let versionId: string;
let ep1: string;
let ep2: string;
let strictEp: string;
const slug = `life-${Date.now().toString(36)}`;

async function endpoint(url: string, name: string) {
  const r = await callJson("POST", "/api/v1/endpoints", { key: keys.admin, body: { name, provider: "comfyui", config: { baseUrl: url } } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

async function waitTerminal(id: string, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    const r = await callJson("GET", `/api/v1/runs/${id}`, { key: keys.viewer });
    if (["succeeded", "failed", "canceled", "timed_out"].includes(r.body.status)) return r.body;
    if (Date.now() > until) throw new Error(`run ${id} still ${r.body.status}`);
    await new Promise((res) => setTimeout(res, 150));
  }
}

const audits = (deploymentId: string, action: string) => db().auditLog.findMany({ where: { targetType: "deployment", targetId: deploymentId, action }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  process.env.FLOWGATE_POLL_MS = "200";
  for (const role of ["admin", "engineer", "oncall", "viewer"] as const) keys[role] = (await createApiKey({ name: `life ${role}`, role })).key;
  const [a, b, strict] = await Promise.all([startSandbox({ execMs: 100 }), startSandbox({ execMs: 100 }), startSandbox({ execMs: 100, strictModels: true })]);
  sandboxes.push(a, b, strict);
  worker = await startWorker({ concurrency: 10, healthMs: 0 });
  ep1 = await endpoint(a.url, `life-a-${slug}`);
  ep2 = await endpoint(b.url, `life-b-${slug}`);
  strictEp = await endpoint(strict.url, `life-strict-${slug}`);
  const w = await callJson("POST", "/api/v1/workflows", { key: keys.admin, body: { name: `life ${slug}`, workflow } });
  versionId = w.body.version.id;
  const d = await callJson("POST", "/api/v1/deployments", {
    key: keys.engineer,
    body: { name: "Lifecycle", slug, workflowVersionId: versionId, slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }], targets: [{ endpointId: ep1, priority: 0 }] },
  });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
});

afterAll(async () => {
  await worker?.stop();
  await Promise.all(sandboxes.map((s) => s.close()));
  await closeDb();
});

describe("deployment lifecycle", () => {
  let deploymentId: string;
  let firstRunId: string;

  it("GET shows status, run counts and settings", async () => {
    const r = await callJson("GET", `/api/v1/deployments/${slug}`, { key: keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ slug, status: "active", paused: false, deletedAt: null, runCounts: { total: 0, inFlight: 0 }, timeoutSeconds: 600, maxAttempts: 3, stuckAfterSeconds: 120 });
    deploymentId = r.body.id;
    const run = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: keys.oncall, body: { inputs: { prompt: "before any change" }, wait: 30 } });
    expect(run.status).toBe(200);
    expect(run.body.status).toBe("succeeded");
    firstRunId = run.body.id;
  });

  it("viewers and on-call cannot edit, pause or delete (403)", async () => {
    for (const key of [keys.viewer, keys.oncall]) {
      expect((await callJson("PATCH", `/api/v1/deployments/${slug}`, { key, body: { timeoutSeconds: 30 } })).status).toBe(403);
      expect((await callJson("POST", `/api/v1/deployments/${slug}/pause`, { key })).status).toBe(403);
      expect((await callJson("POST", `/api/v1/deployments/${slug}/resume`, { key })).status).toBe(403);
      const del = await callJson("DELETE", `/api/v1/deployments/${slug}`, { key });
      expect(del.status).toBe(403);
      expect(del.body.error.code).toBe("forbidden");
    }
    expect((await callJson("GET", `/api/v1/deployments/${slug}`, { key: keys.viewer })).body.status).toBe("active");
  });

  it("edits targets in priority order, timeout, attempts and stuck time; audited with before → after", async () => {
    const r = await callJson("PATCH", `/api/v1/deployments/${slug}`, {
      key: keys.engineer,
      body: { targets: [{ endpointId: ep2, priority: 0 }, { endpointId: ep1, priority: 1 }], timeoutSeconds: 90, maxAttempts: 2, stuckAfterSeconds: 45 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.targets.map((t: { endpointId: string }) => t.endpointId)).toEqual([ep2, ep1]);
    expect(r.body).toMatchObject({ timeoutSeconds: 90, maxAttempts: 2, stuckAfterSeconds: 45 });
    const [row] = await audits(deploymentId, "deployment.update");
    expect(row.data).toMatchObject({ fields: expect.arrayContaining(["targets", "timeoutSeconds", "maxAttempts", "stuckAfterSeconds"]) });
    expect(row).toMatchObject({
      before: { timeoutSeconds: 600, maxAttempts: 3, targets: [{ endpointId: ep1, priority: 0 }] },
      after: { timeoutSeconds: 90, maxAttempts: 2 },
    });
    // the next run goes to the new first target (workers re-read a deployment at most every 2 s)
    await new Promise((r) => setTimeout(r, 2100));
    const run = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: keys.engineer, body: { inputs: { prompt: "after the edit" }, wait: 30 } });
    expect(run.body.attempts[0].endpointId).toBe(ep2);
  });

  it("pre-flights an added target like create does (422 endpoint_incompatible), and refuses bad values (400)", async () => {
    const r = await callJson("PATCH", `/api/v1/deployments/${slug}`, {
      key: keys.engineer,
      body: { targets: [{ endpointId: ep2, priority: 0 }, { endpointId: strictEp, priority: 1 }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("endpoint_incompatible");
    expect(r.body.error.details.endpoints.map((e: { endpointId: string }) => e.endpointId)).toEqual([strictEp]);
    const bad = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: keys.engineer, body: { timeoutSeconds: 1 } });
    expect(bad.status).toBe(400);
    const unknown = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: keys.engineer, body: { targets: [{ endpointId: "ep_nope", priority: 0 }] } });
    expect(unknown.status).toBe(404);
    expect((await callJson("GET", `/api/v1/deployments/${slug}`, { key: keys.viewer })).body.targets.map((t: { endpointId: string }) => t.endpointId)).toEqual([ep2, ep1]);
  });

  it("a paused deployment refuses new runs and retries with 409 deployment_paused saying how to resume", async () => {
    const p = await callJson("POST", `/api/v1/deployments/${slug}/pause`, { key: keys.engineer });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ paused: true, status: "paused" });
    const run = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: keys.admin, body: { inputs: { prompt: "paused" } } });
    expect(run.status).toBe(409);
    expect(run.body.error.code).toBe("deployment_paused");
    expect(run.body.error.message).toContain(`/api/v1/deployments/${slug}/resume`);
    expect(run.body.error.details.resume).toEqual({ method: "POST", path: `/api/v1/deployments/${slug}/resume` });

    // a retry is a new run: refused too (it used to slip past the pause)
    const failedRun = await db().run.create({ data: { id: `run_life_${Date.now()}`, deploymentId, workflowVersionId: versionId, status: "failed", inputs: { prompt: "x" } } });
    const retry = await callJson("POST", `/api/v1/runs/${failedRun.id}/retry`, { key: keys.admin });
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe("deployment_paused");

    expect(await audits(deploymentId, "deployment.pause")).toHaveLength(1);
    // pausing again changes nothing and writes nothing
    await callJson("POST", `/api/v1/deployments/${slug}/pause`, { key: keys.engineer });
    expect(await audits(deploymentId, "deployment.pause")).toHaveLength(1);

    const r = await callJson("POST", `/api/v1/deployments/${slug}/resume`, { key: keys.engineer });
    expect(r.body).toMatchObject({ paused: false, status: "active" });
    expect(await audits(deploymentId, "deployment.resume")).toHaveLength(1);
    const ok = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: keys.admin, body: { inputs: { prompt: "resumed" } } });
    expect(ok.status).toBe(202);
    await waitTerminal(ok.body.id);

    // PATCH {"paused"} does the same, audited as a pause too
    const viaPatch = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: keys.engineer, body: { paused: true } });
    expect(viaPatch.body.status).toBe("paused");
    expect(await audits(deploymentId, "deployment.pause")).toHaveLength(2);
    await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: keys.engineer, body: { paused: false } });
  });

  it("warns, when draining an endpoint, which deployments it leaves with no enabled target", async () => {
    // targets are ep2 then ep1: draining ep2 leaves ep1; draining ep1 after it leaves none
    const first = await callJson("POST", `/api/v1/endpoints/${ep2}/disable?dryRun=true`, { key: keys.oncall });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ dryRun: true, warning: null, details: { deploymentsWithoutTarget: [] } });
    expect((await callJson("GET", `/api/v1/endpoints/${ep2}`, { key: keys.viewer })).body.disabled).toBe(false);

    expect((await callJson("POST", `/api/v1/endpoints/${ep2}/disable`, { key: keys.viewer })).status).toBe(403);
    const d2 = await callJson("POST", `/api/v1/endpoints/${ep2}/disable`, { key: keys.oncall });
    expect(d2.body).toMatchObject({ disabled: true, details: { deploymentsWithoutTarget: [] } });

    const dry = await callJson("POST", `/api/v1/endpoints/${ep1}/disable?dryRun=1`, { key: keys.oncall });
    expect(dry.body.details.deploymentsWithoutTarget).toEqual([expect.objectContaining({ slug, timeoutSeconds: 90, paused: false })]);
    expect(dry.body.warning).toContain(slug);
    expect(dry.body.warning).toMatch(/wait in the queue/);
    const d1 = await callJson("POST", `/api/v1/endpoints/${ep1}/disable`, { key: keys.oncall });
    expect(d1.body.disabled).toBe(true);
    expect(d1.body.details.deploymentsWithoutTarget.map((x: { slug: string }) => x.slug)).toContain(slug);
    const row = await db().auditLog.findFirst({ where: { targetType: "endpoint", targetId: ep1, action: "endpoint.disable" } });
    expect(row?.data).toMatchObject({ deploymentsWithoutTarget: expect.arrayContaining([slug]) });

    for (const id of [ep1, ep2]) expect((await callJson("POST", `/api/v1/endpoints/${id}/enable`, { key: keys.oncall })).status).toBe(200);
  });

  it("DELETE takes it out of service; its runs and their history stay readable; the slug is not reused", async () => {
    const del = await callJson("DELETE", `/api/v1/deployments/${slug}`, { key: keys.engineer });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ slug, status: "deleted", runCounts: { inFlight: 0 } });
    expect(del.body.deletedAt).toEqual(expect.any(String));
    expect(await audits(deploymentId, "deployment.delete")).toHaveLength(1);

    // history: the run, its attempts, events and outputs
    const run = await callJson("GET", `/api/v1/runs/${firstRunId}`, { key: keys.viewer });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ id: firstRunId, deploymentSlug: slug, status: "succeeded" });
    expect(run.body.attempts[0]).toMatchObject({ endpointId: ep1, status: "succeeded" });
    const out = await call("GET", run.body.outputs[0].url, { key: keys.viewer });
    expect(out.status).toBe(200);
    expect(out.headers.get("content-type")).toBe("image/png");
    const list = await callJson("GET", `/api/v1/runs?deployment=${slug}`, { key: keys.viewer });
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(firstRunId);
    const one = await callJson("GET", `/api/v1/deployments/${slug}`, { key: keys.viewer });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ status: "deleted", runCounts: { total: expect.any(Number) } });
    expect(one.body.runCounts.total).toBeGreaterThanOrEqual(3);

    // out of service
    const newRun = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: keys.admin, body: { inputs: { prompt: "too late" } } });
    expect(newRun.status).toBe(410);
    expect(newRun.body.error.code).toBe("deployment_deleted");
    expect(newRun.body.error.message).toContain("runs stay readable");
    const retry = await callJson("POST", `/api/v1/runs/${firstRunId}/retry`, { key: keys.admin });
    expect(retry.status).toBe(409); // a succeeded run is never retryable; a failed one:
    const failed = await db().run.findFirstOrThrow({ where: { deploymentId, status: "failed" } });
    const retried = await callJson("POST", `/api/v1/runs/${failed.id}/retry`, { key: keys.admin });
    expect(retried.status).toBe(410);
    expect(retried.body.error.code).toBe("deployment_deleted");
    const patch = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: keys.admin, body: { timeoutSeconds: 60 } });
    expect(patch.status).toBe(410);
    expect((await callJson("POST", `/api/v1/deployments/${slug}/pause`, { key: keys.admin })).status).toBe(410);
    expect((await callJson("GET", `/api/v1/deployments/${slug}/openapi.json`, { key: keys.viewer })).status).toBe(410);

    // lists leave it out unless asked
    const all = await callJson("GET", `/api/v1/deployments?limit=500`, { key: keys.viewer });
    expect(all.body.items.map((d: { slug: string }) => d.slug)).not.toContain(slug);
    const withDeleted = await callJson("GET", `/api/v1/deployments?limit=500&includeDeleted=true`, { key: keys.viewer });
    expect(withDeleted.body.items.map((d: { slug: string }) => d.slug)).toContain(slug);

    // deleting again is not an error and writes nothing
    expect((await callJson("DELETE", `/api/v1/deployments/${slug}`, { key: keys.engineer })).status).toBe(200);
    expect(await audits(deploymentId, "deployment.delete")).toHaveLength(1);

    // the slug stays taken, and the answer says why
    const again = await callJson("POST", "/api/v1/deployments", {
      key: keys.engineer,
      body: { name: "Again", slug, workflowVersionId: versionId, slots: [], targets: [{ endpointId: ep1, priority: 0 }] },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("slug_taken");
    expect(again.body.error.message).toContain("deleted");
  });

  it("an endpoint only a deleted deployment targeted (and no run used) can be deleted", async () => {
    const ep = await endpoint(sandboxes[0].url, `life-spare-${slug}`);
    const other = `${slug}-spare`;
    const d = await callJson("POST", "/api/v1/deployments", { key: keys.engineer, body: { name: "Spare", slug: other, workflowVersionId: versionId, targets: [{ endpointId: ep, priority: 0 }] } });
    expect(d.status).toBe(201);
    expect((await callJson("DELETE", `/api/v1/endpoints/${ep}`, { key: keys.admin })).status).toBe(409);
    expect((await callJson("DELETE", `/api/v1/deployments/${other}`, { key: keys.engineer })).status).toBe(200);
    expect((await callJson("DELETE", `/api/v1/endpoints/${ep}`, { key: keys.admin })).status).toBe(204);
  });

  it("documents DELETE, pause and resume in the OpenAPI document", async () => {
    const doc = await callJson("GET", "/api/v1/openapi.json", { key: keys.viewer });
    expect(doc.body.paths["/api/v1/deployments/{slug}"].delete).toBeTruthy();
    expect(doc.body.paths["/api/v1/deployments/{slug}/pause"].post).toBeTruthy();
    expect(doc.body.paths["/api/v1/deployments/{slug}/resume"].post).toBeTruthy();
    expect(doc.body.paths["/api/v1/endpoints/{id}/disable"].post).toBeTruthy();
  });
});
