// Audit as a first-class record, over the real route handlers and a real PostgreSQL: every mutation
// writes exactly one row in its own transaction, with its actor, target, outcome and before/after;
// an on-call action against an unreachable endpoint records "pending" first and "failed" after;
// GET /api/v1/audit (admin, oncall; a viewer gets 403) filters and pages.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { systemActor } from "@/lib/auth/actor";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { closeDb, db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { deployment, loraWorkflow } from "../helpers/world";
import { deploymentWebhookSecret } from "@/lib/webhooks/deployment-webhook-secret";
import { insertQueuedRun } from "@/lib/runs/create-run";
import { systemCtx } from "@/lib/context";

let sandbox: SandboxHandle;
const keys = { admin: "", oncall: "", viewer: "" };
const ids = { admin: "", oncall: "", viewer: "" };
let endpointId: string;
let deploymentId: string;
let versionId: string;
const slug = `audit-${Date.now().toString(36)}`;

const rows = (where: { targetId?: string; action?: string; actorId?: string }) => db().auditLog.findMany({ where, orderBy: { id: "asc" } });

/** Exactly one new row for (action, target) appears while `fn` runs; it is returned. */
async function oneRow(action: string, targetId: string | (() => string), fn: () => Promise<unknown>) {
  const before = new Set((await rows({ action })).map((r) => r.id));
  await fn();
  const id = typeof targetId === "function" ? targetId() : targetId;
  const fresh = (await rows({ action })).filter((r) => !before.has(r.id));
  expect(fresh.map((r) => [r.action, r.targetId]), `rows for ${action}`).toEqual([[action, id]]);
  // and nothing else about this target was written by the same call
  return fresh[0];
}

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint,webhook";
  for (const role of ["admin", "oncall", "viewer"] as const) {
    const k = await createApiKey({ name: `audit ${role}`, role });
    keys[role] = k.key;
    ids[role] = k.id;
  }
  sandbox = await startSandbox({ execMs: 100 });
  const w = await callJson("POST", "/api/v1/workflows", { key: keys.admin, body: { name: `audit ${slug}`, workflow: loraWorkflow } });
  expect(w.status, JSON.stringify(w.body)).toBe(201);
  versionId = w.body.version.id;
  const ep = await callJson("POST", "/api/v1/endpoints", { key: keys.admin, body: { name: `audit-ep-${slug}`, provider: "comfyui", config: { baseUrl: sandbox.url } } });
  expect(ep.status, JSON.stringify(ep.body)).toBe(201);
  endpointId = ep.body.id;
  const d = await callJson("POST", "/api/v1/deployments", {
    key: keys.admin,
    body: { name: "Audit", slug, workflowVersionId: versionId, slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }], targets: [{ endpointId, priority: 0 }] },
  });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  deploymentId = d.body.id;
});

afterAll(async () => {
  await sandbox?.close();
  await closeDb();
});

describe("every mutation writes one audit row with its actor and outcome", () => {
  it("API keys: created (by the system from the CLI) and revoked, never with the key", async () => {
    const [created] = await rows({ action: "apikey.create", targetId: ids.viewer } as never);
    expect(created).toMatchObject({ actorType: "system", actorName: "Flowgate (system)", targetType: "apiKey", outcome: "ok" });
    expect(created.after).toMatchObject({ name: "audit viewer", role: "viewer" });
    expect(JSON.stringify(created)).not.toContain(keys.viewer.split("_")[2]);

    const k = await createApiKey({ name: "to revoke", role: "viewer" });
    const row = await oneRow("apikey.revoke", k.id, () => revokeApiKey(systemActor, k.id));
    expect(row).toMatchObject({ outcome: "ok", before: { revokedAt: null } });
    // revoking again changes nothing and writes nothing
    await oneRow("apikey.revoke", k.id, () => revokeApiKey(systemActor, k.id)).then(
      () => expect.fail("a second revoke wrote a row"),
      () => {},
    );
  });

  it("runs: created, cancelled and retried", async () => {
    let runId = "";
    const created = await oneRow("run.create", () => runId, async () => {
      const r = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: keys.oncall, body: { inputs: { prompt: "audited" }, webhook: "http://127.0.0.1:9/hook" } });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      runId = r.body.id;
    });
    expect(created).toMatchObject({ actorType: "apiKey", actorId: ids.oncall, actorName: 'API key "audit oncall"', targetType: "run", outcome: "ok", after: { deploymentId, status: "queued" } });

    const cancel = await oneRow("run.cancel", runId, async () => {
      const r = await callJson("POST", `/api/v1/runs/${runId}/cancel`, { key: keys.oncall });
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    });
    expect(cancel).toMatchObject({ actorId: ids.oncall, outcome: "ok", before: { status: "queued" }, after: { status: "canceled" } });
    // the cancel's webhook delivery was committed with it
    expect(await db().webhookDelivery.findMany({ where: { runId }, select: { eventType: true } })).toEqual([{ eventType: "run.canceled" }]);
    // a refused cancel (already ended) writes nothing
    const again = await callJson("POST", `/api/v1/runs/${runId}/cancel`, { key: keys.oncall });
    expect(again.status).toBe(409);
    expect(await rows({ action: "run.cancel", targetId: runId })).toHaveLength(1);

    let retryId = "";
    const retry = await oneRow("run.retry", runId, async () => {
      const r = await callJson("POST", `/api/v1/runs/${runId}/retry`, { key: keys.admin });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      retryId = r.body.id;
    });
    expect(retry).toMatchObject({ actorId: ids.admin, outcome: "ok", after: { runId: retryId, status: "queued" }, data: { retryRunId: retryId } });
    // the retried run is not also recorded as a plain create
    expect(await rows({ action: "run.create", targetId: retryId })).toHaveLength(0);
  });

  it("a run whose Idempotency-Key already has one writes no second row", async () => {
    const headers = { "idempotency-key": `audit-${slug}` };
    const a = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: keys.admin, headers, body: { inputs: { prompt: "once" } } });
    const b = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: keys.admin, headers, body: { inputs: { prompt: "once" } } });
    expect(b.body.id).toBe(a.body.id);
    expect(await rows({ action: "run.create", targetId: a.body.id })).toHaveLength(1);
  });

  it("webhook secret: created on first reveal, each later reveal audited, never the secret", async () => {
    const first = await oneRow("deployment.webhook_secret.create", deploymentId, async () => {
      const r = await callJson("GET", `/api/v1/deployments/${slug}/webhook-secret`, { key: keys.admin });
      expect(r.status).toBe(200);
      expect(r.body.secret).toMatch(/^whsec_/);
    });
    expect(first).toMatchObject({ actorId: ids.admin, outcome: "ok" });
    expect(await rows({ action: "deployment.webhook_secret.reveal", targetId: deploymentId })).toHaveLength(0);
    let secret = "";
    const reveal = await oneRow("deployment.webhook_secret.reveal", deploymentId, async () => {
      secret = (await callJson("GET", `/api/v1/deployments/${slug}/webhook-secret`, { key: keys.admin })).body.secret;
    });
    expect(JSON.stringify(reveal)).not.toContain(secret.slice(6));
    expect(await rows({ action: "deployment.webhook_secret.create", targetId: deploymentId })).toHaveLength(1);
  });

  it("webhook secret created by the first delivery: audited once as the system, even when two race", async () => {
    const d = await deployment(versionId, [endpointId]);
    const [a, b] = await Promise.all([deploymentWebhookSecret({ ctx: systemCtx(), input: { deploymentId: d.id } }), deploymentWebhookSecret({ ctx: systemCtx(), input: { deploymentId: d.id } })]);
    expect(a).toBe(b);
    expect(await deploymentWebhookSecret({ ctx: systemCtx(), input: { deploymentId: d.id } })).toBe(a);
    const created = await rows({ action: "deployment.webhook_secret.create", targetId: d.id });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actorType: "system", outcome: "ok" });
    expect(await rows({ action: "deployment.webhook_secret.reveal", targetId: d.id })).toHaveLength(0);
  });

  it("webhook replay, with the delivery's status before and after", async () => {
    const runId = newId("run");
    await insertQueuedRun({ id: runId, deploymentId, workflowVersionId: versionId, inputs: { prompt: "x" }, webhookUrl: "http://127.0.0.1:9/hook", actor: systemActor });
    const deliveryId = `msg_${runId}`;
    await db().webhookDelivery.create({ data: { id: deliveryId, runId, url: "http://127.0.0.1:9/hook", eventType: "run.failed", status: "dead" } });
    const row = await oneRow("webhook.replay", runId, async () => {
      const r = await callJson("POST", `/api/v1/runs/${runId}/webhooks/${deliveryId}/replay`, { key: keys.oncall });
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    });
    expect(row).toMatchObject({ actorId: ids.oncall, outcome: "ok", before: { status: "dead" }, after: { status: "retrying" }, data: { deliveryId } });
  });

  it("endpoints: created, updated (before → after, no secrets), disabled, enabled, deleted", async () => {
    let id = "";
    const created = await oneRow("endpoint.create", () => id, async () => {
      const r = await callJson("POST", "/api/v1/endpoints", {
        key: keys.admin,
        body: { name: `audit-ep2-${slug}`, provider: "comfyui", config: { baseUrl: sandbox.url, headers: { "X-Token": "hunter2-header" } }, secret: "hunter2-secret" },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      id = r.body.id;
    });
    expect(created).toMatchObject({ actorId: ids.admin, after: { name: `audit-ep2-${slug}`, provider: "comfyui", disabled: false, hasSecret: true } });

    const updated = await oneRow("endpoint.update", id, async () => {
      const r = await callJson("PATCH", `/api/v1/endpoints/${id}`, { key: keys.admin, body: { name: `audit-ep2b-${slug}`, pricePerHourUsd: 1.5 } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    });
    expect(updated).toMatchObject({ before: { name: `audit-ep2-${slug}`, pricePerHourUsd: null }, after: { name: `audit-ep2b-${slug}`, pricePerHourUsd: 1.5 } });

    const disabled = await oneRow("endpoint.disable", id, () => callJson("POST", `/api/v1/endpoints/${id}/disable`, { key: keys.oncall }));
    expect(disabled).toMatchObject({ actorId: ids.oncall, outcome: "ok", before: { disabled: false }, after: { disabled: true } });
    const enabled = await oneRow("endpoint.enable", id, () => callJson("POST", `/api/v1/endpoints/${id}/enable`, { key: keys.oncall }));
    expect(enabled).toMatchObject({ before: { disabled: true }, after: { disabled: false } });

    const deleted = await oneRow("endpoint.delete", id, async () => {
      const r = await callJson("DELETE", `/api/v1/endpoints/${id}`, { key: keys.admin });
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    });
    expect(deleted).toMatchObject({ before: { name: `audit-ep2b-${slug}` } });

    const all = JSON.stringify(await rows({ targetId: id }));
    expect(all).not.toContain("hunter2");
  });

  it("on-call restart and purge of a reachable endpoint: ok, with what the provider said", async () => {
    const restart = await oneRow("endpoint.restart", endpointId, async () => {
      const r = await callJson("POST", `/api/v1/endpoints/${endpointId}/restart`, { key: keys.oncall });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    });
    expect(restart).toMatchObject({ actorId: ids.oncall, actorName: 'API key "audit oncall"', outcome: "ok", data: { message: expect.any(String) } });
    const purge = await oneRow("endpoint.purge-queue", endpointId, () => callJson("POST", `/api/v1/endpoints/${endpointId}/purge-queue`, { key: keys.oncall }));
    expect(purge).toMatchObject({ outcome: "ok" });
  });

  it("an on-call action against an unreachable endpoint is recorded pending, then failed", async () => {
    // A backend that takes the connection, hangs 400 ms, then drops it: the call fails, and while it
    // hangs the row must already be there, pending (intent first).
    const hang = net.createServer((sock) => setTimeout(() => sock.destroy(), 400));
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(hang.address() as net.AddressInfo).port}`;
    try {
      const ep = await callJson("POST", "/api/v1/endpoints", { key: keys.admin, body: { name: `audit-down-${slug}`, provider: "comfyui", config: { baseUrl: url } } });
      expect(ep.status, JSON.stringify(ep.body)).toBe(201);
      const id = ep.body.id as string;
      const seen: string[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          for (const r of await rows({ targetId: id, action: "endpoint.restart" })) if (seen.at(-1) !== r.outcome) seen.push(r.outcome);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const row = await oneRow("endpoint.restart", id, async () => {
        const r = await callJson("POST", `/api/v1/endpoints/${id}/restart`, { key: keys.oncall });
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe("endpoint_unreachable");
        expect(r.body.error.details.auditId).toMatch(/^aud_/);
      });
      watching = false;
      await watcher;
      for (const r of await rows({ targetId: id, action: "endpoint.restart" })) if (seen.at(-1) !== r.outcome) seen.push(r.outcome);
      expect(seen).toEqual(["pending", "failed"]);
      expect(row).toMatchObject({ action: "endpoint.restart", actorId: ids.oncall, outcome: "failed", data: { message: expect.any(String) } });
      const listed = await callJson("GET", `/api/v1/audit?targetId=${id}&action=endpoint.restart`, { key: keys.oncall });
      expect(listed.body.items).toEqual([expect.objectContaining({ outcome: "failed", action: "endpoint.restart", target: { type: "endpoint", id } })]);
    } finally {
      await new Promise((r) => hang.close(r));
    }
  });

  it("a purge of an endpoint nothing listens on is recorded failed", async () => {
    const ep = await callJson("POST", "/api/v1/endpoints", {
      key: keys.admin,
      body: { name: `audit-closed-${slug}`, provider: "comfyui", config: { baseUrl: `http://127.0.0.1:${await closedPort()}` } },
    });
    const id = ep.body.id as string;
    const row = await oneRow("endpoint.purge-queue", id, async () => {
      const r = await callJson("POST", `/api/v1/endpoints/${id}/purge-queue`, { key: keys.oncall });
      expect(r.status).toBe(503);
    });
    expect(row).toMatchObject({ outcome: "failed" });
  });

  it("deployments: update, pause, resume and delete are audited with before → after", async () => {
    const upd = await oneRow("deployment.update", deploymentId, () => callJson("PATCH", `/api/v1/deployments/${slug}`, { key: keys.admin, body: { timeoutSeconds: 120 } }));
    expect(upd).toMatchObject({ actorId: ids.admin, before: { timeoutSeconds: 600 }, after: { timeoutSeconds: 120 } });
    const pause = await oneRow("deployment.pause", deploymentId, () => callJson("POST", `/api/v1/deployments/${slug}/pause`, { key: keys.admin }));
    expect(pause).toMatchObject({ before: { paused: false }, after: { paused: true } });
    await oneRow("deployment.resume", deploymentId, () => callJson("POST", `/api/v1/deployments/${slug}/resume`, { key: keys.admin }));
    // PATCH {"paused"} is one pause row, not also an update; a PATCH that changes nothing writes nothing
    const updates = (await rows({ action: "deployment.update", targetId: deploymentId })).length;
    await oneRow("deployment.pause", deploymentId, () => callJson("PATCH", `/api/v1/deployments/${slug}`, { key: keys.admin, body: { paused: true } }));
    await oneRow("deployment.resume", deploymentId, () => callJson("PATCH", `/api/v1/deployments/${slug}`, { key: keys.admin, body: { paused: false } }));
    const same = await callJson("PATCH", `/api/v1/deployments/${slug}`, { key: keys.admin, body: { timeoutSeconds: 120 } });
    expect(same.status).toBe(200);
    expect(await rows({ action: "deployment.update", targetId: deploymentId })).toHaveLength(updates);
    expect(await rows({ action: "deployment.create", targetId: deploymentId })).toHaveLength(1);
    // a second deployment to delete (this one is used below)
    const other = `${slug}-gone`;
    const d = await callJson("POST", "/api/v1/deployments", {
      key: keys.admin,
      body: { name: "Gone", slug: other, workflowVersionId: versionId, slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }], targets: [{ endpointId, priority: 0 }] },
    });
    const del = await oneRow("deployment.delete", d.body.id, () => callJson("DELETE", `/api/v1/deployments/${other}`, { key: keys.admin }));
    expect(del).toMatchObject({ actorId: ids.admin, outcome: "ok", data: { slug: other } });
  });
});

describe("GET /api/v1/audit", () => {
  it("is for admin and oncall: a viewer gets 403", async () => {
    const r = await callJson("GET", "/api/v1/audit", { key: keys.viewer });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
    expect((await callJson("GET", "/api/v1/audit", { key: keys.oncall })).status).toBe(200);
    expect((await callJson("GET", "/api/v1/audit", { key: keys.admin })).status).toBe(200);
  });

  it("answers API.md's shape", async () => {
    const r = await callJson("GET", `/api/v1/audit?targetId=${deploymentId}&action=deployment.pause`, { key: keys.admin });
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(2);
    const item = r.body.items[1];
    expect(Object.keys(item).sort()).toEqual(["action", "actor", "after", "at", "before", "details", "id", "outcome", "target"]);
    expect(item).toMatchObject({
      actor: { type: "apiKey", id: ids.admin, name: 'API key "audit admin"' },
      action: "deployment.pause",
      target: { type: "deployment", id: deploymentId },
      outcome: "ok",
      before: { paused: false },
      after: { paused: true },
      details: { slug },
    });
    expect(new Date(item.at).toISOString()).toBe(item.at);
  });

  it("filters by actor, action (and action family), target type and id, and since", async () => {
    const byActor = await callJson("GET", `/api/v1/audit?actor=${ids.oncall}&limit=500`, { key: keys.admin });
    expect(byActor.body.items.length).toBeGreaterThan(3);
    expect(byActor.body.items.every((i: { actor: { id: string } }) => i.actor.id === ids.oncall)).toBe(true);
    const typed = await callJson("GET", `/api/v1/audit?actor=apiKey:${ids.oncall}&limit=500`, { key: keys.admin });
    expect(typed.body.items.length).toBe(byActor.body.items.length);

    const family = await callJson("GET", `/api/v1/audit?action=endpoint.*&targetId=${endpointId}`, { key: keys.admin });
    expect(family.body.items.map((i: { action: string }) => i.action).sort()).toEqual(["endpoint.create", "endpoint.purge-queue", "endpoint.restart"]);

    const runs = await callJson("GET", `/api/v1/audit?targetType=run&limit=500`, { key: keys.admin });
    expect(runs.body.items.length).toBeGreaterThan(0);
    expect(runs.body.items.every((i: { target: { type: string } }) => i.target.type === "run")).toBe(true);

    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await callJson("GET", `/api/v1/audit?since=${later}`, { key: keys.admin })).body.items).toEqual([]);
    const earlier = new Date(Date.now() - 3600_000).toISOString();
    expect((await callJson("GET", `/api/v1/audit?since=${encodeURIComponent(earlier)}&targetId=${deploymentId}`, { key: keys.admin })).body.items.length).toBeGreaterThan(3);
  });

  it("pages newest first with a cursor (limit default 50, max 500)", async () => {
    const all = (await callJson("GET", `/api/v1/audit?actor=${ids.admin}&limit=500`, { key: keys.admin })).body.items as { id: string; at: string }[];
    expect(all.length).toBeGreaterThan(5);
    const ats = all.map((i) => i.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { id: string }[]; nextCursor: string | null } } = await callJson("GET", `/api/v1/audit?actor=${ids.admin}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, { key: keys.admin });
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.items.map((i) => i.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((i) => i.id));
    const dflt = await callJson("GET", "/api/v1/audit", { key: keys.admin });
    expect(dflt.body.items.length).toBeLessThanOrEqual(50);
  });

  it("bad filters are a 400 with a stable code, not a 500", async () => {
    for (const q of ["limit=0", "limit=501", "limit=x", "since=yesterday", "colour=blue"]) {
      const r = await callJson("GET", `/api/v1/audit?${q}`, { key: keys.admin });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toMatch(/^(bad_request|validation_failed)$/);
    }
  });
});
