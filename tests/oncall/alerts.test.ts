// Alerts over a real ComfyUI look-alike, PostgreSQL and a real HTTP receiver: an endpoint going
// down sends one Slack-compatible alert (Standard Webhooks signature verified with the secret the
// settings answered once), a second evaluation sends nothing (deduplicated), and recovery sends a
// recovery message; the settings are audited and the API refuses a viewer.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { systemCtx, type Ctx } from "@/lib/context";
import { checkEndpointHealth } from "@/lib/endpoints/health";
import { evaluateAlerts } from "@/lib/oncall/evaluate-alerts";
import { listAlerts } from "@/lib/oncall/list-alerts";
import { updateAlertSettings } from "@/lib/oncall/update-alert-settings";
import { closeDb, db } from "@/lib/db";
import { sandboxEndpoint } from "../helpers/world";

process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint,webhook";

const oncall: Ctx = { actor: { type: "apiKey", id: "key_alerts", name: "pager", role: "oncall" }, requestId: "req_alerts" };
const viewer: Ctx = { actor: { type: "apiKey", id: "key_viewer", name: "viewer", role: "viewer" }, requestId: "req_viewer" };
let sandbox: SandboxHandle;
let receiver: http.Server;
let url: string;
const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ execMs: 100 });
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack`;
});

afterAll(async () => {
  await sandbox?.close();
  await new Promise((r) => receiver.close(r));
  await closeDb();
});

describe("alerts", () => {
  it("fire once when an endpoint goes down, recover once, signed and Slack-compatible", async () => {
    await expect(updateAlertSettings({ ctx: viewer, input: { webhookUrl: url } })).rejects.toMatchObject({ code: "forbidden" });
    const settings = await updateAlertSettings({ ctx: oncall, input: { webhookUrl: url, stuckAfterSeconds: 3600 } });
    expect(settings.webhookSecret).toMatch(/^whsec_/);
    expect(settings.hasWebhookSecret).toBe(true);
    const row = await db().auditLog.findFirst({ where: { action: "alerts.update" }, orderBy: { createdAt: "desc" } });
    expect(JSON.stringify(row)).not.toContain(settings.webhookSecret!.slice(6));

    const ep = await sandboxEndpoint(sandbox.url);
    const load = () => db().endpoint.findUniqueOrThrow({ where: { id: ep.id } });
    await checkEndpointHealth(await load());
    const ctx = systemCtx();
    await evaluateAlerts(ctx);
    got.length = 0;

    await sandbox.close(); // the endpoint goes down
    await checkEndpointHealth(await load());
    const fired = await evaluateAlerts(ctx, { appUrl: "http://flowgate.test" });
    expect(fired.filter((n) => n.key === `endpoint:${ep.id}`)).toEqual([expect.objectContaining({ kind: "firing" })]);
    expect(got).toHaveLength(fired.length);
    const msg = got.find((g) => g.body.includes(ep.id))!;
    const body = JSON.parse(msg.body);
    expect(body.text).toContain(`Endpoint "${ep.name}" is down`);
    expect(body.text).toContain(`<http://flowgate.test/endpoints/${ep.id}|Open in Flowgate>`);
    expect(body.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
    // Standard Webhooks: verifies with the secret, fails with another
    expect(() => new Webhook(settings.webhookSecret!.replace(/^whsec_/, "")).verify(msg.body, msg.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(Buffer.from("another secret key!!").toString("base64")).verify(msg.body, msg.headers as Record<string, string>)).toThrow();
    expect((await listAlerts({ ctx: viewer, input: {} })).active.map((a) => a.key)).toContain(`endpoint:${ep.id}`);

    // still down: deduplicated
    await checkEndpointHealth(await load());
    expect((await evaluateAlerts(ctx)).filter((n) => n.key === `endpoint:${ep.id}`)).toEqual([]);

    // back up: one recovery message
    sandbox = await startSandbox({ execMs: 100, port: sandbox.port });
    await checkEndpointHealth(await load());
    const before = got.length;
    const recovered = await evaluateAlerts(ctx);
    expect(recovered.filter((n) => n.key === `endpoint:${ep.id}`)).toEqual([expect.objectContaining({ kind: "recovered" })]);
    expect(got.slice(before).some((g) => JSON.parse(g.body).text.startsWith(":white_check_mark: Recovered"))).toBe(true);
    expect((await listAlerts({ ctx: viewer, input: {} })).active.map((a) => a.key)).not.toContain(`endpoint:${ep.id}`);
  }, 60_000);
});
