// Issue #14 row 10 (first half): validation where the data enters. Slot defaults are checked against
// the slot's type, limits and choices at deployment create and PATCH (a default no run could use is
// refused, naming the slot); workflow uploads with links to missing nodes, links to outputs a node
// does not have, or dependency cycles — all refused by ComfyUI — are refused with the node ids.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, db } from "@/lib/db";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { sandboxEndpoint } from "../helpers/world";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples/api");
const api = JSON.parse(fs.readFileSync(path.join(FIX, "lora__lora.json"), "utf8"));
let key: string;
let sandbox: SandboxHandle;
let endpointId: string;
let versionId: string;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  key = (await createApiKey({ name: "validation", role: "admin" })).key;
  sandbox = await startSandbox({ execMs: 50 });
  endpointId = (await sandboxEndpoint(sandbox.url)).id;
  const wf = await callJson("POST", "/api/v1/workflows", { key, body: { name: `validation ${Date.now()}`, workflow: api } });
  versionId = wf.body.version.id;
});
afterAll(async () => {
  await sandbox?.close();
  await closeDb();
});

const steps = (extra: Record<string, unknown>) => ({ name: "steps", nodeId: "3", input: "steps", type: "integer", min: 1, max: 100, ...extra });

describe("slot defaults", () => {
  it("refuses a default of the wrong type, out of range or not among the choices, naming the slot", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [steps({ default: "lots" }), /integer/],
      [steps({ default: 2.5 }), /integer/],
      [steps({ default: 500 }), /at most 100/],
      [{ name: "cfg", nodeId: "3", input: "cfg", type: "number", default: { deep: 1 } }, /number/],
      [{ name: "sampler", nodeId: "3", input: "sampler_name", type: "enum", enum: ["euler", "ddim"], default: "heun" }, /one of/],
      [{ name: "prompt", nodeId: "6", input: "text", type: "string", default: 7 }, /string/],
      [{ name: "flag", nodeId: "6", input: "text", type: "boolean", default: "maybe" }, /true or false/],
    ];
    for (const [slot, why] of cases) {
      const before = await db().deployment.count();
      const r = await callJson("POST", "/api/v1/deployments", { key, body: { name: "bad default", workflowVersionId: versionId, targets: [{ endpointId }], slots: [slot] } });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error.code).toBe("slot_invalid");
      expect(r.body.error.details.slots).toContainEqual(expect.objectContaining({ slot: slot.name, code: "slot_invalid_default" }));
      expect(r.body.error.message).toMatch(why);
      expect(await db().deployment.count()).toBe(before);
    }
  });

  it("accepts valid defaults (numeric strings stored as numbers) and checks PATCH the same way", async () => {
    const slug = `defaults-${Date.now()}`;
    const r = await callJson("POST", "/api/v1/deployments", {
      key,
      body: { name: "good defaults", slug, workflowVersionId: versionId, targets: [{ endpointId }], slots: [steps({ default: "30" }), { name: "flag", nodeId: "6", input: "text", type: "boolean", default: "false" }] },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const got = await callJson("GET", `/api/v1/deployments/${slug}`, { key });
    const bySlot = Object.fromEntries(got.body.slots.map((s: { name: string; default: unknown }) => [s.name, s.default]));
    expect(bySlot).toEqual({ steps: 30, flag: false });
    // An emptied form field ("") or null on a non-string slot means no default.
    const cleared = await callJson("POST", "/api/v1/deployments", {
      key,
      body: { name: "cleared", workflowVersionId: versionId, targets: [{ endpointId }], slots: [steps({ default: "" }), { name: "cfg", nodeId: "3", input: "cfg", type: "number", default: null }] },
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(201);
    expect(cleared.body.slots.map((s: { default?: unknown }) => s.default ?? null)).toEqual([null, null]);
    const p = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key, body: { slots: [steps({ default: "lots" })] } });
    expect(p.status).toBe(422);
    expect(p.body.error.details.slots[0]).toMatchObject({ slot: "steps", code: "slot_invalid_default" });
    const after = await callJson("GET", `/api/v1/deployments/${slug}`, { key });
    expect(after.body.slots.map((s: { name: string }) => s.name)).toEqual(["steps", "flag"]); // unchanged
  });
});

describe("workflow graphs ComfyUI would refuse", () => {
  async function upload(workflow: unknown) {
    return callJson("POST", "/api/v1/workflows", { key, body: { name: `graph ${Date.now()} ${Math.random()}`, workflow } });
  }

  it("refuses a link to a missing node, naming the node and input", async () => {
    const w = structuredClone(api);
    w["3"].inputs.positive = ["404", 0];
    const r = await upload(w);
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error.code).toBe("workflow_invalid");
    expect(r.body.error.details.nodes).toContainEqual(expect.objectContaining({ code: "link_to_missing_node", nodeId: "3", input: "positive", linkedNode: "404" }));
  });

  it("refuses a link to an output index the source node does not have", async () => {
    const w = structuredClone(api);
    w["8"].inputs.samples = ["3", 5]; // KSampler has one output
    const r = await upload(w);
    expect(r.status).toBe(422);
    expect(r.body.error.details.nodes).toContainEqual(expect.objectContaining({ code: "output_index_out_of_range", nodeId: "8", linkedNode: "3" }));
  });

  it("refuses a dependency cycle, naming every node on it", async () => {
    const w = structuredClone(api);
    w["5"].inputs.width = ["8", 0]; // EmptyLatentImage ← VAEDecode ← KSampler ← EmptyLatentImage
    const r = await upload(w);
    expect(r.status).toBe(422);
    const onCycle = r.body.error.details.nodes.filter((n: { code: string }) => n.code === "dependency_cycle").map((n: { nodeId: string }) => n.nodeId);
    expect(onCycle.sort()).toEqual(["3", "5", "8"]);
  });

  it("accepts the same problem on a node no output depends on, as a warning (ComfyUI skips that node)", async () => {
    const w = structuredClone(api);
    w["77"] = { class_type: "VAEDecode", inputs: { samples: ["404", 0], vae: ["4", 2] } };
    const r = await upload(w);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.version.analysis.warnings).toContainEqual(expect.objectContaining({ code: "link_to_missing_node", nodeId: "77" }));
  });

  it("refuses to deploy an already stored version that ComfyUI would refuse", async () => {
    const w = structuredClone(api);
    w["3"].inputs.positive = ["404", 0];
    // Stored the way an older Flowgate stored it, without the upload check.
    const good = await upload(api);
    const v = await db().workflowVersion.create({
      data: { id: `wfv_old${Date.now()}`, workflowId: good.body.id, number: 99, hash: `old${Date.now()}`, format: "api", source: "json", original: w, prompt: w, analysis: {}, nodeCount: 7 },
    });
    const r = await callJson("POST", "/api/v1/deployments", { key, body: { name: "old broken", workflowVersionId: v.id, targets: [{ endpointId }] } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("workflow_invalid");
  });
});
