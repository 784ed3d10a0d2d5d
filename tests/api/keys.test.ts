// Issue #18 item 2: scoped API keys. A read-only key is refused writes (403), a key limited to one
// deployment cannot run (or retry, or cancel) another (403 deployment_not_allowed), expired and revoked
// keys get 401 with their own codes, a key's own rate limit answers 429 with Retry-After, keys are
// managed over /api/v1/keys (admins: all; a signed-in user: their own, within their role), every
// change is audited without the secret, and last use (time, address) is recorded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, callJson } from "../helpers/api";
import { deployment, loraVersion, sandboxEndpoint, until, waitForTerminal } from "../helpers/world";
import { createApiKey as issueKey } from "@/lib/auth/api-keys";
import { createApiKey } from "@/lib/keys/create-api-key";
import { listApiKeys } from "@/lib/keys/list-api-keys";
import { revokeApiKey } from "@/lib/keys/revoke-api-key";
import { hasPermission, mcpActorFor, requireDeployment, type Actor } from "@/lib/auth/actor";
import { ROLE_SCOPES, roleForScopes, SCOPES } from "@/lib/auth/scopes";
import { can, ROLES } from "@/lib/auth/roles";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { closeDb, db } from "@/lib/db";
import { newId } from "@/lib/ids";

let sandbox: SandboxHandle;
let worker: WorkerHandle;
let admin: string;
let slugA: string;
let slugB: string;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  process.env.FLOWGATE_POLL_MS = "200";
  sandbox = await startSandbox({ execMs: 50 });
  worker = await startWorker({ concurrency: 2, healthMs: 0 });
  const ep = await sandboxEndpoint(sandbox.url);
  const v = await loraVersion();
  slugA = (await deployment(v.id, [ep.id])).slug;
  slugB = (await deployment(v.id, [ep.id])).slug;
  admin = (await issueKey({ name: "keys admin", role: "admin" })).key;
});

afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await closeDb();
});

const mint = async (body: Record<string, unknown>) => {
  const r = await callJson("POST", "/api/v1/keys", { key: admin, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; key: string; scopes: string[]; deployments: string[]; role: string };
};
const runOn = (slug: string, key: string) => callJson("POST", `/api/v1/deployments/${slug}/runs`, { key, body: { inputs: { prompt: "a key test" } } });

describe("scopes map onto the role permissions", () => {
  it("a role's scopes grant exactly the role's permissions, and the stored role is the narrowest that covers the scopes", () => {
    const perms = ["read", "runs:write", "workflows:write", "deployments:write", "endpoints:write", "endpoints:operate", "audit:read", "admin"] as const;
    for (const role of ROLES) {
      const key: Actor = { type: "apiKey", id: "k", name: "k", role, scopes: ROLE_SCOPES[role] };
      for (const p of perms) expect(hasPermission(key, p), `${role} ${p}`).toBe(can(role, p));
      expect(roleForScopes(ROLE_SCOPES[role])).toBe(role);
    }
    expect(roleForScopes(["read"])).toBe("viewer");
    expect(roleForScopes(["run"])).toBe("oncall");
    expect(roleForScopes(["deploy"])).toBe("engineer");
    expect(SCOPES).toContain("operate");
  });

  it("an MCP actor made from a key keeps the key's scopes and deployment limit (not its wider role)", () => {
    const key: Actor = { type: "apiKey", id: "k", name: "agent", role: roleForScopes(["run"]), scopes: ["run"], deployments: ["only-this"] };
    const agent = mcpActorFor(key);
    expect(agent).toMatchObject({ type: "mcp", id: "k", scopes: ["run"] });
    expect(hasPermission(agent, "runs:write")).toBe(true);
    expect(hasPermission(agent, "endpoints:operate")).toBe(false); // the oncall role would allow it
    expect(() => requireDeployment(agent, "another")).toThrow(/cannot run deployment "another"/);
    expect(() => requireDeployment(agent, "only-this")).not.toThrow();
  });
});

describe("scoped keys over the API", () => {
  it("a read-only key reads (200) and every write is refused with 403", async () => {
    const k = await mint({ name: "read only", scopes: ["read"] });
    expect(k.role).toBe("viewer");
    expect((await call("GET", "/api/v1/deployments", { key: k.key })).status).toBe(200);
    const run = await runOn(slugA, k.key);
    expect(run.status).toBe(403);
    expect(run.body.error.code).toBe("forbidden");
    expect(run.body.error.message).toMatch(/scopes \(read\)/);
    expect((await call("POST", "/api/v1/workflows", { key: k.key, body: { name: "x", workflow: {} } })).status).toBe(403);
    expect((await call("POST", "/api/v1/keys", { key: k.key, body: { name: "escalate", scopes: ["admin"] } })).status).toBe(403);
    expect((await call("GET", "/api/v1/keys", { key: k.key })).status).toBe(403);
  });

  it("a run key limited to one deployment runs it and gets 403 deployment_not_allowed on another, for create, retry and cancel", async () => {
    const k = await mint({ name: "only A", scopes: ["run"], deployments: [slugA] });
    expect(k.deployments).toEqual([slugA]);
    const ok = await runOn(slugA, k.key);
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
    const other = await runOn(slugB, k.key);
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: "deployment_not_allowed", details: { deployment: slugB, allowed: [slugA] } });
    expect(other.body.error.message).toContain(slugB);
    // A run of B (made by the admin) cannot be cancelled or retried with the key either.
    const b = await runOn(slugB, admin);
    expect((await callJson("POST", `/api/v1/runs/${b.body.id}/cancel`, { key: k.key })).body.error.code).toBe("deployment_not_allowed");
    await callJson("POST", `/api/v1/runs/${b.body.id}/cancel`, { key: admin });
    await waitForTerminal(b.body.id);
    expect((await callJson("POST", `/api/v1/runs/${b.body.id}/retry`, { key: k.key })).body.error.code).toBe("deployment_not_allowed");
    // Reading other deployments is the read scope's, not limited.
    expect((await call("GET", `/api/v1/deployments/${slugB}`, { key: k.key })).status).toBe(200);
    await waitForTerminal(ok.body.id);
  });

  it("refuses a limit to deployments that do not exist, or without the run scope", async () => {
    const r = await callJson("POST", "/api/v1/keys", { key: admin, body: { name: "ghost", scopes: ["run"], deployments: ["no-such-deployment"] } });
    expect(r.status).toBe(422);
    expect(r.body.error.details.missing).toEqual(["no-such-deployment"]);
    expect((await callJson("POST", "/api/v1/keys", { key: admin, body: { name: "r", scopes: ["read"], deployments: [slugA] } })).status).toBe(400);
    expect((await callJson("POST", "/api/v1/keys", { key: admin, body: { name: "past", expiresAt: "2020-01-01T00:00:00Z" } })).status).toBe(422);
  });

  it("an expired key gets 401 api_key_expired, a revoked one 401 api_key_revoked", async () => {
    const expired = await issueKey({ name: "expired", scopes: ["read"], expiresAt: new Date(Date.now() + 60_000) });
    expect((await call("GET", "/api/v1/deployments", { key: expired.key })).status).toBe(200);
    await db().apiKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const e = await callJson("GET", "/api/v1/deployments", { key: expired.key });
    expect(e.status).toBe(401);
    expect(e.body.error.code).toBe("api_key_expired");

    const k = await mint({ name: "to revoke", scopes: ["read", "run"] });
    expect((await call("GET", "/api/v1/deployments", { key: k.key })).status).toBe(200);
    const del = await callJson("DELETE", `/api/v1/keys/${k.id}`, { key: admin });
    expect(del.status).toBe(200);
    expect(del.body.status).toBe("revoked");
    const r = await callJson("GET", "/api/v1/deployments", { key: k.key });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("api_key_revoked");
    expect((await runOn(slugA, k.key)).status).toBe(401);
    const listed = await callJson("GET", "/api/v1/keys?status=revoked&limit=500", { key: admin });
    expect(listed.body.items.some((x: { id: string }) => x.id === k.id)).toBe(true);
    expect((await callJson("GET", "/api/v1/keys?status=expired&limit=500", { key: admin })).body.items.some((x: { id: string }) => x.id === expired.id)).toBe(true);
  });

  it("a key's own rate limit answers 429 with Retry-After; other keys are unaffected", async () => {
    const k = await mint({ name: "slow", scopes: ["read"], rateLimitPerMinute: 2 });
    const other = await mint({ name: "fast", scopes: ["read"] });
    expect((await call("GET", "/api/v1/deployments", { key: k.key })).status).toBe(200);
    expect((await call("GET", "/api/v1/deployments", { key: k.key })).status).toBe(200);
    const r = await callJson("GET", "/api/v1/deployments", { key: k.key });
    expect(r.status).toBe(429);
    expect(r.body.error).toMatchObject({ code: "rate_limited", details: { limit: 2, windowSeconds: 60 } });
    const retry = Number(r.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect((await call("GET", "/api/v1/deployments", { key: other.key })).status).toBe(200);
  });

  it("records last use (time and address) and audits create and revoke without the secret", async () => {
    const k = await mint({ name: "audited", scopes: ["operate"] });
    await call("GET", "/api/v1/endpoints", { key: k.key, headers: { "x-forwarded-for": "203.0.113.7" } });
    const row = await until(() => db().apiKey.findFirst({ where: { id: k.id, lastUsedAt: { not: null } } }));
    expect(row.lastUsedIp).toBe("203.0.113.7");
    const listed = await callJson("GET", "/api/v1/keys?limit=500", { key: admin });
    const item = listed.body.items.find((x: { id: string }) => x.id === k.id);
    expect(item).toMatchObject({ scopes: ["operate"], lastUsedIp: "203.0.113.7", status: "active" });
    expect(JSON.stringify(listed.body)).not.toContain(k.key.split("_")[2]);
    await call("DELETE", `/api/v1/keys/${k.id}`, { key: admin });
    const rows = await db().auditLog.findMany({ where: { targetType: "apiKey", targetId: k.id }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.action)).toEqual(["apikey.create", "apikey.revoke"]);
    expect(rows[0].after).toMatchObject({ name: "audited", scopes: ["operate"] });
    const stored = await db().apiKey.findUniqueOrThrow({ where: { id: k.id } });
    for (const r of rows) {
      expect(JSON.stringify(r)).not.toContain(k.key.split("_")[2]);
      expect(JSON.stringify(r)).not.toContain(stored.hash);
    }
  });
});

describe("who manages which keys", () => {
  it("a signed-in user manages their own keys, within their role; an admin sees every key", async () => {
    const id = newId("usr");
    await db().user.create({ data: { id, email: `keys-${id}@example.com`, name: "Kim", role: "oncall", passwordHash: "x" } });
    const kim: Actor = { type: "user", id, email: `keys-${id}@example.com`, role: "oncall" };
    const ctx = { actor: kim, requestId: "req_keys" };
    const mine = await createApiKey({ ctx, input: { name: "kim's", scopes: ["run", "operate"] } });
    expect(mine.owner?.id).toBe(id);
    await expect(createApiKey({ ctx, input: { name: "too wide", scopes: ["deploy"] } })).rejects.toMatchObject({ code: "forbidden" });
    const someoneElses = await issueKey({ name: "not kim's", role: "viewer" });
    const list = await listApiKeys({ ctx, input: { limit: 500 } });
    expect(list.items.map((k) => k.id)).toEqual([mine.id]);
    await expect(revokeApiKey({ ctx, input: { id: someoneElses.id } })).rejects.toMatchObject({ code: "not_found" });
    expect((await revokeApiKey({ ctx, input: { id: mine.id } })).status).toBe("revoked");
    const all = await callJson("GET", "/api/v1/keys?limit=500", { key: admin });
    expect(all.body.items.some((k: { id: string }) => k.id === someoneElses.id)).toBe(true);
  });

  it("keys made with a role (CLI --role, keys from before scopes) keep their role's permissions", async () => {
    const k = await issueKey({ name: "legacy oncall", role: "oncall" });
    expect(k.scopes).toEqual(["read", "run", "operate", "audit"]);
    await db().apiKey.update({ where: { id: k.id }, data: { scopes: [] } }); // a row from before the migration's backfill
    expect((await runOn(slugA, k.key)).status).toBe(202);
    expect((await call("POST", "/api/v1/workflows", { key: k.key, body: { name: "x", workflow: {} } })).status).toBe(403);
  });
});
