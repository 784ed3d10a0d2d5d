// Issue #14 row 9: malformed requests that reached PostgreSQL (or the converter) and answered 500.
// Each gets a 4xx with a stable code now, refused before any heavy work.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, db } from "@/lib/db";
// The documented limits (README "Security: input limits"), spelled out so this file also runs on old code.
const LIMITS = { jsonBodyBytes: 1024 * 1024, workflowUploadBytes: 25 * 1024 * 1024, jsonDepth: 64 };
import { NextRequest } from "next/server";
import { POST as createEndpointRoute } from "@/app/api/v1/endpoints/route";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples");
const api = JSON.parse(fs.readFileSync(path.join(FIX, "api/lora__lora.json"), "utf8"));
const ui = JSON.parse(fs.readFileSync(path.join(FIX, "ui/lora__lora.json"), "utf8"));
let key: string;

beforeAll(async () => {
  key = (await createApiKey({ name: "bad input", role: "admin" })).key;
});
afterAll(() => closeDb());

function expectError(r: { status: number; body: any }, status: number, code: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(typeof r.body.error.message).toBe("string");
}

describe("text PostgreSQL cannot store", () => {
  it("refuses a NUL in a name, in a stored workflow string and in an object key", async () => {
    expectError(await callJson("POST", "/api/v1/workflows", { key, body: { name: "a\u0000b", workflow: api } }), 400, "invalid_text");
    const nul = structuredClone(api);
    nul["6"].inputs.text = "a lighthouse\u0000";
    const r = await callJson("POST", "/api/v1/workflows", { key, body: { name: `nul ${Date.now()}`, workflow: nul } });
    expectError(r, 400, "invalid_text");
    expect(r.body.error.details.path).toBe("body.workflow.6.inputs.text");
    expectError(await callJson("POST", "/api/v1/endpoints", { key, body: { name: "x", provider: "comfyui", config: { ["base\u0000Url"]: "http://x" } } }), 400, "invalid_text");
  });

  it("refuses a lone UTF-16 surrogate anywhere in a body; a real astral character is fine", async () => {
    const bad = structuredClone(api);
    bad["6"].inputs.text = "half \ud83d of an emoji";
    expectError(await callJson("POST", "/api/v1/workflows", { key, body: { name: `sur ${Date.now()}`, workflow: bad } }), 400, "invalid_text");
    expectError(await callJson("POST", "/api/v1/endpoints", { key, body: { name: "\udc00", provider: "comfyui", config: { baseUrl: "http://127.0.0.1:1" } } }), 400, "invalid_text");
    const good = structuredClone(api);
    good["6"].inputs.text = "a fox 🦊";
    expect((await callJson("POST", "/api/v1/workflows", { key, body: { name: `emoji ${Date.now()}`, workflow: good } })).status).toBe(201);
  });

  it("refuses NUL in multipart uploads too (the file never passes through readJson)", async () => {
    const nul = structuredClone(api);
    nul["7"].inputs.text = "bad\u0000";
    const form = new FormData();
    form.set("file", new File([JSON.stringify(nul)], "nul.json", { type: "application/json" }));
    expectError(await callJson("POST", "/api/v1/workflows", { key, rawBody: form }), 400, "invalid_text");
  });

  it("refuses NUL in path ids and query values before any query", async () => {
    expectError(await callJson("GET", "/api/v1/runs/run_%00x", { key }), 400, "invalid_text");
    expectError(await callJson("GET", "/api/v1/workflows/wf%00/versions/1", { key }), 400, "invalid_text");
    expectError(await callJson("POST", "/api/v1/runs/run_x%00/cancel", { key }), 400, "invalid_text");
    expectError(await callJson("GET", "/api/v1/runs?cursor=run_%00", { key }), 400, "invalid_text");
    expectError(await callJson("GET", "/api/v1/deployments?workflowId=%00", { key }), 400, "invalid_text");
    // Ids that cannot exist are 404 without a query; a slug that is not a slug too.
    expectError(await callJson("GET", "/api/v1/runs/run%20x", { key }), 404, "not_found");
    expectError(await callJson("GET", `/api/v1/endpoints/${"x".repeat(500)}`, { key }), 404, "not_found");
    expectError(await callJson("GET", "/api/v1/deployments/Not_A_Slug", { key }), 404, "not_found");
  });
});

describe("numbers", () => {
  it("refuses integers past 2^63 (and past PostgreSQL's int) in paths", async () => {
    const wf = await callJson("POST", "/api/v1/workflows", { key, body: { name: `num ${Date.now()}`, workflow: api } });
    expect(wf.status).toBe(201);
    for (const n of ["99999999999999999999", "9223372036854775808", "2147483648"]) {
      expectError(await callJson("GET", `/api/v1/workflows/${wf.body.id}/versions/${n}`, { key }), 400, "bad_request");
      expectError(await callJson("GET", `/api/v1/workflows/${wf.body.id}/versions/${n}/diff?against=1`, { key }), 400, "bad_request");
      expectError(await callJson("POST", `/api/v1/workflows/${wf.body.id}/versions/${n}/preflight`, { key, body: { endpointId: "ep_x" } }), 400, "bad_request");
    }
    expectError(await callJson("GET", `/api/v1/workflows/${wf.body.id}/versions/1/diff?against=99999999999999999999`, { key }), 400, "bad_request");
    expect((await callJson("GET", `/api/v1/workflows/${wf.body.id}/versions/2147483647`, { key })).status).toBe(404);
  });

  it("refuses non-finite and unsafe integers in bodies, but keeps a workflow's 2^64 seeds", async () => {
    const r = await call("POST", "/api/v1/endpoints", { key, rawBody: '{"name":"x","provider":"comfyui","config":{"baseUrl":"http://127.0.0.1:1"},"pricePerHourUsd":1e400}', headers: { "content-type": "application/json" } });
    expect(r.status).toBe(400);
    expect((await r.json()).error.code).toBe("number_out_of_range");
    const big = await call("POST", "/api/v1/endpoints", { key, rawBody: '{"name":"x","provider":"comfyui","config":{"baseUrl":"http://127.0.0.1:1"},"pricePerHourUsd":18446744073709551615}', headers: { "content-type": "application/json" } });
    expect((await big.json()).error.code).toBe("number_out_of_range");
    const seeded = JSON.stringify({ name: `seed ${Date.now()}`, workflow: api }).replace(/"seed":\d+/, '"seed":18446744073709551615');
    expect(seeded).toContain("18446744073709551615");
    expect((await call("POST", "/api/v1/workflows", { key, rawBody: seeded, headers: { "content-type": "application/json" } })).status).toBe(201);
  });

  it("maps what still reaches PostgreSQL as a data exception (SQLSTATE class 22) to 400, not 500", async () => {
    // A date JavaScript accepts and PostgreSQL's timestamptz does not (22008).
    expectError(await callJson("GET", "/api/v1/runs?since=-271821-04-20T00:00:00Z", { key }), 400, "invalid_value");
  });
});

describe("size and depth, before any heavy work", () => {
  it("refuses a 10,000-deep slot default with json_too_deep (the stack and PostgreSQL never see it)", async () => {
    let deep = "0";
    for (let i = 0; i < 10_000; i++) deep = `{"a":${deep}}`;
    const body = `{"name":"deep","workflowVersionId":"wfv_x","targets":[{"endpointId":"ep_x"}],"slots":[{"name":"p","nodeId":"6","input":"text","type":"string","default":${deep}}]}`;
    const r = await call("POST", "/api/v1/deployments", { key, rawBody: body, headers: { "content-type": "application/json" } });
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatchObject({ code: "json_too_deep", details: { maxDepth: LIMITS.jsonDepth } });
  });

  it("caps every JSON body at 1 MB, by Content-Length and by counting a body that has none", async () => {
    const big = JSON.stringify({ name: "x".repeat(LIMITS.jsonBodyBytes + 10), provider: "comfyui", config: {} });
    expectError(await callJson("POST", "/api/v1/endpoints", { key, rawBody: big, headers: { "content-type": "application/json" } }), 413, "payload_too_large");
    // A streamed body (no Content-Length): the read stops at the limit.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > 8 * LIMITS.jsonBodyBytes) return c.close();
        sent += 64 * 1024;
        c.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    const req = new NextRequest("http://localhost:3000/api/v1/endpoints", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: stream,
      duplex: "half",
    } as ConstructorParameters<typeof NextRequest>[1] & { duplex: "half" });
    const r = await createEndpointRoute(req, { params: Promise.resolve({}) });
    expect(r.status).toBe(413);
    expect(sent).toBeLessThan(2 * LIMITS.jsonBodyBytes);
  });

  it("refuses a 100,000-node chain as workflow_too_large before converting or storing it", async () => {
    const before = await db().workflowVersion.count();
    const chain: Record<string, unknown> = { "0": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0 } } };
    for (let i = 1; i < 100_000; i++) chain[String(i)] = { class_type: "ImageInvert", inputs: { image: [String(i - 1), 0] } };
    const r = await callJson("POST", "/api/v1/workflows", { key, body: { name: `chain ${Date.now()}`, workflow: chain } });
    expectError(r, 413, "workflow_too_large");
    expect(r.body.error.details).toMatchObject({ nodeCount: 100_000, maxNodes: 5000 });
    expect(await db().workflowVersion.count()).toBe(before);
  });

  it("bounds a 23 MB UI workflow: refused for its node count at a small multiple of the cost of parsing it", async () => {
    // 23 MB of UI nodes (copies of the lora example's nodes with fresh ids) — the upload that blocked
    // the event loop for 17 s. Its cost is now the JSON parse plus one count, not a conversion.
    const nodes: unknown[] = [];
    let size = 0;
    for (let i = 0; size < 23 * 1024 * 1024; i++) {
      const n = { ...ui.nodes[i % ui.nodes.length], id: i + 1 };
      nodes.push(n);
      size += JSON.stringify(n).length + 1;
    }
    const text = JSON.stringify({ name: `huge ${Date.now()}`, workflow: { ...ui, nodes, links: [] } });
    expect(text.length).toBeGreaterThan(23 * 1024 * 1024);
    expect(text.length).toBeLessThan(LIMITS.workflowUploadBytes);
    const t0 = performance.now();
    JSON.parse(text);
    const parseMs = performance.now() - t0;
    const t1 = performance.now();
    const r = await callJson("POST", "/api/v1/workflows", { key, rawBody: text, headers: { "content-type": "application/json" } });
    const uploadMs = performance.now() - t1;
    expectError(r, 413, "workflow_too_large");
    expect(r.body.error.details.nodeCount).toBe(nodes.length);
    // Ratio, not a time: reading + parsing + checking once more ≈ a few parses, never a conversion.
    console.log(`23 MB UI upload refused in ${uploadMs.toFixed(0)} ms = ${(uploadMs / parseMs).toFixed(1)} × a bare JSON.parse (${parseMs.toFixed(0)} ms)`);
    expect(uploadMs / parseMs).toBeLessThan(10); // was ≈ 60 × (37 s) before the node limit
  });

  it("refuses a multipart upload past 25 MB without reading the rest", async () => {
    const form = new FormData();
    form.set("file", new File([new Uint8Array(LIMITS.workflowUploadBytes + 2 * 1024 * 1024).fill(32)], "big.json", { type: "application/json" }));
    expectError(await callJson("POST", "/api/v1/workflows", { key, rawBody: form }), 413, "workflow_too_large");
  });
});

describe("multipart fields", () => {
  it("checks a multipart objectInfo field like a JSON body (depth, text)", async () => {
    const form = new FormData();
    form.set("file", new File([JSON.stringify(api)], "wf.json", { type: "application/json" }));
    form.set("objectInfo", "[".repeat(5000) + "]".repeat(5000));
    expectError(await callJson("POST", "/api/v1/workflows", { key, rawBody: form }), 400, "json_too_deep");
    const form2 = new FormData();
    form2.set("file", new File([JSON.stringify(api)], "wf.json", { type: "application/json" }));
    form2.set("name", "bad\u0000name");
    expectError(await callJson("POST", "/api/v1/workflows", { key, rawBody: form2 }), 400, "invalid_text");
  });
});
