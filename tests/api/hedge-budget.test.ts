// The deployment's hedge budget over the real route handlers and PostgreSQL: the Flowgate default
// until set, set on create and by PATCH (audited before → after), back to the default with null, 0
// allowed (no lateness hedges), bad values refused with 400 validation_failed and nothing stored.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { closeDb, db } from "@/lib/db";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples/api");
const workflow = JSON.parse(fs.readFileSync(path.join(FIX, "lora__lora.json"), "utf8"));
const tag = `hb-${Date.now().toString(36)}`;
let sandbox: SandboxHandle;
let engineer = "";
let viewer = "";
let endpointId = "";
let versionId = "";

const body = (slug: string, extra: Record<string, unknown> = {}) => ({
  name: `Hedge budget ${slug}`,
  slug,
  workflowVersionId: versionId,
  slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }],
  targets: [{ endpointId, priority: 0 }],
  ...extra,
});

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  delete process.env.FLOWGATE_HEDGE_BUDGET;
  engineer = (await createApiKey({ name: `${tag} engineer`, role: "engineer" })).key;
  viewer = (await createApiKey({ name: `${tag} viewer`, role: "viewer" })).key;
  const admin = (await createApiKey({ name: `${tag} admin`, role: "admin" })).key;
  sandbox = await startSandbox({ execMs: 100 });
  const ep = await callJson("POST", "/api/v1/endpoints", { key: admin, body: { name: `${tag}-ep`, provider: "comfyui", config: { baseUrl: sandbox.url } } });
  expect(ep.status, JSON.stringify(ep.body)).toBe(201);
  endpointId = ep.body.id;
  const w = await callJson("POST", "/api/v1/workflows", { key: admin, body: { name: tag, workflow } });
  versionId = w.body.version.id;
});

afterAll(async () => {
  await sandbox?.close();
  await closeDb();
});

describe("deployment hedge budget", () => {
  it("defaults to the Flowgate default, round-trips through PATCH with an audit row, and null restores the default", async () => {
    const slug = `${tag}-a`;
    const created = await callJson("POST", "/api/v1/deployments", { key: engineer, body: body(slug) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ hedgeBudgetPercent: null, effectiveHedgeBudgetPercent: 10 });

    const set = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: engineer, body: { hedgeBudgetPercent: 0 } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ hedgeBudgetPercent: 0, effectiveHedgeBudgetPercent: 0 });
    const read = await callJson("GET", `/api/v1/deployments/${slug}`, { key: viewer });
    expect(read.body).toMatchObject({ hedgeBudgetPercent: 0, effectiveHedgeBudgetPercent: 0 });

    const raised = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: engineer, body: { hedgeBudgetPercent: 25 } });
    expect(raised.body).toMatchObject({ hedgeBudgetPercent: 25, effectiveHedgeBudgetPercent: 25 });
    const reset = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: engineer, body: { hedgeBudgetPercent: null } });
    expect(reset.body).toMatchObject({ hedgeBudgetPercent: null, effectiveHedgeBudgetPercent: 10 });

    const rows = await db().auditLog.findMany({ where: { targetType: "deployment", targetId: created.body.id, action: "deployment.update" }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.before, r.after])).toEqual([
      [{ hedgeBudgetPercent: null }, { hedgeBudgetPercent: 0 }],
      [{ hedgeBudgetPercent: 0 }, { hedgeBudgetPercent: 25 }],
      [{ hedgeBudgetPercent: 25 }, { hedgeBudgetPercent: null }],
    ]);
    // The same value again changes nothing and writes nothing.
    await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: engineer, body: { hedgeBudgetPercent: null } });
    expect(await db().auditLog.count({ where: { targetType: "deployment", targetId: created.body.id, action: "deployment.update" } })).toBe(3);
  });

  it("is set on create", async () => {
    const created = await callJson("POST", "/api/v1/deployments", { key: engineer, body: body(`${tag}-b`, { hedgeBudgetPercent: 5 }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ hedgeBudgetPercent: 5, effectiveHedgeBudgetPercent: 5 });
  });

  it("refuses out-of-range, fractional and non-numeric budgets with 400 validation_failed, storing nothing", async () => {
    const slug = `${tag}-c`;
    expect((await callJson("POST", "/api/v1/deployments", { key: engineer, body: body(slug, { hedgeBudgetPercent: 7 }) })).status).toBe(201);
    for (const bad of [-1, 101, 2.5, "10", true]) {
      const r = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: engineer, body: { hedgeBudgetPercent: bad } });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.code).toBe("validation_failed");
      expect(r.body.error.message).toContain("hedgeBudgetPercent");
    }
    const created = await callJson("POST", "/api/v1/deployments", { key: engineer, body: body(`${tag}-d`, { hedgeBudgetPercent: 1000 }) });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe("validation_failed");
    expect((await callJson("GET", `/api/v1/deployments/${slug}`, { key: viewer })).body.hedgeBudgetPercent).toBe(7);
    // A viewer may not change it.
    const denied = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: viewer, body: { hedgeBudgetPercent: 1 } });
    expect(denied.status).toBe(403);
  });
});
