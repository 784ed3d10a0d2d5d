// The reported hole, end to end through the callers: a webhook or image URL on `[::ffff:127.0.0.1]`
// (which the URL parser rewrites to `[::ffff:7f00:1]`) passed the old private-address check and
// Flowgate POSTed to loopback. Now both are refused, and the loopback service is never called.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRun } from "@/lib/runs/create-run";
import { decodeImageInput } from "@/lib/runs/image-inputs";
import { closeDb } from "@/lib/db";
import { deployment, loraVersion, sandboxEndpoint } from "../helpers/world";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { systemCtx } from "@/lib/context";

let hits = 0;
let loop: http.Server;
let port = 0;
let sandbox: SandboxHandle;
let slug = "";

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint"; // endpoints on the LAN: yes; webhooks and images: no
  loop = http.createServer((_req, res) => {
    hits++;
    res.end("loopback-only");
  });
  await new Promise<void>((r) => loop.listen(0, "127.0.0.1", r));
  port = (loop.address() as AddressInfo).port;
  sandbox = await startSandbox({ execMs: 50 });
  const ep = await sandboxEndpoint(sandbox.url);
  slug = (await deployment((await loraVersion()).id, [ep.id])).slug;
});
afterAll(async () => {
  loop?.close();
  await sandbox?.close();
  await closeDb();
});

const FORMS = ["[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "2130706433", "0x7f.1", "127.1", "[::127.0.0.1]", "[64:ff9b::7f00:1]"];

describe("callers go through the address policy", () => {
  it.each(FORMS)("a run's webhook on %s is refused with url_not_allowed", async (host) => {
    const err = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "x" }, webhook: `http://${host}:${port}/hook` } } }).catch((e) => e);
    expect(err.code).toBe("url_not_allowed");
    expect(err.message).toMatch(/loopback/);
    expect(hits).toBe(0);
  });

  it.each(FORMS)("an image input on %s is refused and never downloaded", async (host) => {
    const err = await decodeImageInput("image", `http://${host}:${port}/cat.png`).catch((e) => e);
    expect(err.code).toBe("url_not_allowed");
    expect(err.details.slot).toBe("image");
    expect(hits).toBe(0);
  });
});
