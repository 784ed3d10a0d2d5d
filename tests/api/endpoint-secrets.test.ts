// Endpoint credentials through the real route handlers: header values and URL userinfo are secrets
// (encrypted at rest, shown to every role only as "set", still sent to the endpoint); re-pointing an
// endpoint needs its secrets re-entered (or an admin) and is audited; a viewer's reads (health,
// pre-flight) make no outbound call and write nothing.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { toTarget } from "@/lib/endpoints/target";
import { sealLegacyEndpointCredentials } from "@/lib/endpoints/credentials";
import { loraWorkflow } from "../helpers/world";

interface Hit {
  url: string;
  authorization?: string;
  apiKey?: string;
}
let hits: Hit[] = [];
let server: http.Server;
let other: http.Server;
let base = "";
let otherBase = "";
const keys: Record<string, string> = {};

function recorder(into: () => Hit[]) {
  return http.createServer((req, res) => {
    into().push({ url: req.url ?? "", authorization: req.headers.authorization, apiKey: req.headers["x-api-key"] as string | undefined });
    res.writeHead(200, { "content-type": "application/json" });
    if (req.url?.startsWith("/system_stats")) return res.end(JSON.stringify({ system: { os: "test" }, devices: [] }));
    if (req.url?.startsWith("/queue")) return res.end(JSON.stringify({ queue_running: [], queue_pending: [] }));
    if (req.url?.startsWith("/object_info")) return res.end(JSON.stringify({}));
    res.end("{}");
  });
}

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  server = recorder(() => hits);
  other = recorder(() => hits);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  otherBase = `http://localhost:${(other.address() as AddressInfo).port}`;
  for (const role of ["admin", "engineer", "oncall", "viewer"] as const) keys[role] = (await createApiKey({ name: `secrets ${role}`, role })).key;
});
beforeEach(() => {
  hits = [];
});
afterAll(async () => {
  server?.close();
  other?.close();
  await closeDb();
});

async function create(config: Record<string, unknown>, secret?: string) {
  const r = await callJson("POST", "/api/v1/endpoints", { key: keys.engineer, body: { name: `secrets ${Date.now()} ${Math.random()}`, provider: "comfyui", config, ...(secret ? { secret } : {}) } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

describe("credential-like config is a secret", () => {
  it("header values and URL userinfo are never returned (viewer included), encrypted at rest, and still sent", async () => {
    const userinfoBase = base.replace("http://", "http://alice:pa%24%24word@");
    const ep = await create({ baseUrl: userinfoBase, headers: { Authorization: "Bearer hdr-secret-123", "X-Api-Key": "xkey-456" } });
    for (const role of ["viewer", "oncall", "engineer", "admin"]) {
      const one = await callJson("GET", `/api/v1/endpoints/${ep.id}`, { key: keys[role] });
      const list = await callJson("GET", "/api/v1/endpoints?limit=100", { key: keys[role] });
      for (const text of [JSON.stringify(one.body), JSON.stringify(list.body)]) {
        expect(text).not.toContain("hdr-secret-123");
        expect(text).not.toContain("xkey-456");
        expect(text).not.toContain("alice");
        expect(text).not.toContain("word");
      }
      expect(one.body.config.headers).toEqual({ Authorization: "set", "X-Api-Key": "set" });
      expect(one.body.config.baseUrl).toBe(base);
      expect(one.body.urlCredentials).toEqual({ baseUrl: "set" });
    }
    const row = await db().endpoint.findUniqueOrThrow({ where: { id: ep.id } });
    const stored = JSON.stringify(row.config);
    expect(stored).not.toContain("hdr-secret-123");
    expect(stored).not.toContain("xkey-456");
    expect(stored).not.toContain("alice");

    // The endpoint still gets them.
    const h = await callJson("GET", `/api/v1/endpoints/${ep.id}/health`, { key: keys.oncall });
    expect(h.body.fresh).toBe(true);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0].authorization).toBe("Bearer hdr-secret-123");
    expect(hits[0].apiKey).toBe("xkey-456");
  });

  it("URL userinfo alone becomes Basic auth on the wire", async () => {
    const ep = await create({ baseUrl: base.replace("http://", "http://bob:s3cr3t@") });
    await callJson("GET", `/api/v1/endpoints/${ep.id}/health`, { key: keys.engineer });
    expect(hits[0].authorization).toBe(`Basic ${Buffer.from("bob:s3cr3t").toString("base64")}`);
  });

  it("editing keeps a header given as \"set\" and a URL given as shown; a new value replaces it", async () => {
    const ep = await create({ baseUrl: base.replace("http://", "http://carol:pw1@"), headers: { Authorization: "Bearer one" } });
    const shown = (await callJson("GET", `/api/v1/endpoints/${ep.id}`, { key: keys.engineer })).body;
    const same = await callJson("PATCH", `/api/v1/endpoints/${ep.id}`, { key: keys.engineer, body: { config: shown.config, name: "renamed" } });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    let t = toTarget(await db().endpoint.findUniqueOrThrow({ where: { id: ep.id } }));
    expect(t.config.headers).toEqual({ Authorization: "Bearer one" });
    expect(t.config.baseUrl).toBe(base.replace("http://", "http://carol:pw1@"));
    const changed = await callJson("PATCH", `/api/v1/endpoints/${ep.id}`, { key: keys.engineer, body: { config: { baseUrl: base, headers: { Authorization: "Bearer two" } } } });
    expect(changed.status).toBe(200);
    t = toTarget(await db().endpoint.findUniqueOrThrow({ where: { id: ep.id } }));
    expect(t.config.headers).toEqual({ Authorization: "Bearer two" });
    expect(t.config.baseUrl).toBe(base.replace("http://", "http://carol:pw1@")); // the URL as shown: its stored userinfo is kept
    const bad = await callJson("PATCH", `/api/v1/endpoints/${ep.id}`, { key: keys.engineer, body: { config: { baseUrl: base, headers: { "X-New": "set" } } } });
    expect(bad.status).toBe(400);
  });

  it("rows stored before sealing are masked on read and sealed by the start-up sweep", async () => {
    const id = newId("ep");
    await db().endpoint.create({ data: { id, name: `legacy ${id}`, provider: "comfyui", config: { baseUrl: base.replace("http://", "http://dave:legacy-pw@"), headers: { Authorization: "Bearer legacy-token" } } } });
    const read = await callJson("GET", `/api/v1/endpoints/${id}`, { key: keys.viewer });
    expect(JSON.stringify(read.body)).not.toMatch(/legacy-token|legacy-pw|dave/);
    expect(read.body.config.headers).toEqual({ Authorization: "set" });
    expect(await sealLegacyEndpointCredentials()).toBeGreaterThanOrEqual(1);
    const row = await db().endpoint.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row.config)).not.toMatch(/legacy-token|legacy-pw|dave/);
    const t = toTarget(row);
    expect(t.config.headers).toEqual({ Authorization: "Bearer legacy-token" });
    expect(t.config.baseUrl).toContain("dave:legacy-pw@");
    expect(await sealLegacyEndpointCredentials()).toBe(0);
  });
});

describe("re-pointing an endpoint", () => {
  it("an engineer must re-enter the stored secrets to change where the endpoint points; the change is audited", async () => {
    const ep = await create({ baseUrl: base, headers: { Authorization: "Bearer keep-me" } }, "api-key-1");
    const shown = (await callJson("GET", `/api/v1/endpoints/${ep.id}`, { key: keys.engineer })).body;
    // Round-trip the shown config with a new host: the secrets would go along → refused.
    const moved = await callJson("PATCH", `/api/v1/endpoints/${ep.id}`, { key: keys.engineer, body: { config: { ...shown.config, baseUrl: otherBase } } });
    expect(moved.status).toBe(403);
    expect(moved.body.error.details.reason).toBe("secret_reentry_required");
    expect(moved.body.error.details.credentials).toEqual(expect.arrayContaining(["header Authorization", "secret"]));
    // Nothing went to the new host, and nothing changed.
    expect(hits).toEqual([]);
    expect(toTarget(await db().endpoint.findUniqueOrThrow({ where: { id: ep.id } })).config.baseUrl).toBe(base);

    // With every secret re-entered, it goes through, and is audited.
    const ok = await callJson("PATCH", `/api/v1/endpoints/${ep.id}`, { key: keys.engineer, body: { config: { baseUrl: otherBase, headers: { Authorization: "Bearer new" } }, secret: "api-key-2" } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const log = await db().auditLog.findFirst({ where: { targetId: ep.id, action: "endpoint.repoint" }, orderBy: { createdAt: "desc" } });
    expect(log?.data).toMatchObject({ repoint: [{ key: "baseUrl", from: base, to: otherBase }], credentialsCarriedOver: [] });
  });

  it("an admin may carry the secrets over (audited as such); an endpoint without secrets moves freely", async () => {
    const ep = await create({ baseUrl: base, headers: { Authorization: "Bearer carried" } });
    const r = await callJson("PATCH", `/api/v1/endpoints/${ep.id}`, { key: keys.admin, body: { config: { baseUrl: otherBase, headers: { Authorization: "set" } } } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const log = await db().auditLog.findFirst({ where: { targetId: ep.id, action: "endpoint.repoint" } });
    expect(log?.data).toMatchObject({ credentialsCarriedOver: ["header Authorization"], role: "admin" });

    const plain = await create({ baseUrl: base });
    const p = await callJson("PATCH", `/api/v1/endpoints/${plain.id}`, { key: keys.engineer, body: { config: { baseUrl: otherBase } } });
    expect(p.status).toBe(200);
  });
});

describe("a viewer's reads have no side effects", () => {
  it("GET …/health: a viewer gets the last stored check (no call, no row); an operator checks now", async () => {
    const ep = await create({ baseUrl: base, headers: { Authorization: "Bearer x" } });
    const none = await callJson("GET", `/api/v1/endpoints/${ep.id}/health`, { key: keys.viewer });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ endpointId: ep.id, fresh: false, checkedAt: null });
    expect(hits).toEqual([]);
    expect(await db().endpointHealth.count({ where: { endpointId: ep.id } })).toBe(0);

    const now = await callJson("GET", `/api/v1/endpoints/${ep.id}/health`, { key: keys.oncall });
    expect(now.body).toMatchObject({ ok: true, fresh: true });
    expect(hits.length).toBeGreaterThan(0);
    hits = [];
    const last = await callJson("GET", `/api/v1/endpoints/${ep.id}/health`, { key: keys.viewer });
    expect(last.body).toMatchObject({ ok: true, fresh: false });
    expect(last.body.checkedAt).toBeTruthy();
    expect(hits).toEqual([]);
    expect(await db().endpointHealth.count({ where: { endpointId: ep.id } })).toBe(1);
    // An operator can ask for the stored one too.
    expect((await callJson("GET", `/api/v1/endpoints/${ep.id}/health?fresh=0`, { key: keys.engineer })).body.fresh).toBe(false);
    expect(hits).toEqual([]);
  });

  it("pre-flight by a viewer uses only cached node definitions; with none cached it is refused, and nothing is fetched", async () => {
    const ep = await create({ baseUrl: base });
    const wf = await callJson("POST", "/api/v1/workflows", { key: keys.engineer, body: { name: `secrets pf ${Date.now()}`, workflow: loraWorkflow } });
    const v = wf.body.version;
    const url = `/api/v1/workflows/${wf.body.id}/versions/${v.number}/preflight`;
    hits = [];
    const refused = await callJson("POST", url, { key: keys.viewer, body: { endpointId: ep.id } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.reason).toBe("probe_not_allowed");
    expect(hits).toEqual([]);
    const byEngineer = await callJson("POST", url, { key: keys.engineer, body: { endpointId: ep.id } });
    expect(byEngineer.status, JSON.stringify(byEngineer.body)).toBe(200);
    expect(hits.some((h) => h.url.startsWith("/object_info"))).toBe(true);
    hits = [];
    const cached = await callJson("POST", url, { key: keys.viewer, body: { endpointId: ep.id } });
    expect(cached.status).toBe(200);
    expect(cached.body.checked).toBe(true);
    expect(hits).toEqual([]);
  });
});
