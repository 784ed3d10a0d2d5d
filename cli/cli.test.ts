// Issue #18 item 4: the CLI against a real Flowgate HTTP server (route handlers, PostgreSQL, the
// worker and the ComfyUI sandbox), each command a real child process: login stores URL and key
// (mode 0600), deployments, run with --input/--image/--wait/--out (outputs downloaded; exit 1 on
// failure), runs with filters, keys create/list/revoke, FLOWGATE_URL / FLOWGATE_API_KEY overriding.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../tests/helpers/http-app";
import { deployment, loraVersion, sandboxEndpoint } from "../tests/helpers/world";
import { createApiKey } from "@/lib/auth/api-keys";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { systemCtx } from "@/lib/context";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { closeDb } from "@/lib/db";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules/tsx/dist/loader.mjs");
// A 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

let app: AppServer;
let sandbox: SandboxHandle;
let failing: SandboxHandle;
let worker: WorkerHandle;
let admin: string;
let slug: string;
let imageSlug: string;
let failSlug: string;
let tmp: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function flowgate(args: string[], env: Record<string, string | undefined> = {}, stdin?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", TSX, path.join(ROOT, "cli/index.ts"), ...args],
      { cwd: ROOT, env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: tmp, FLOWGATE_CONFIG: path.join(tmp, "cfg", "config.json"), FLOWGATE_DATA_DIR: path.join(tmp, "nodata"), ...env } as unknown as NodeJS.ProcessEnv, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  process.env.FLOWGATE_POLL_MS = "100";
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flowgate-cli-"));
  sandbox = await startSandbox({ execMs: 300 });
  failing = await startSandbox({ execMs: 50, failRate: 1 });
  worker = await startWorker({ concurrency: 4, healthMs: 0 });
  app = await startAppServer();
  const ep = await sandboxEndpoint(sandbox.url);
  const bad = await sandboxEndpoint(failing.url);
  const v = await loraVersion();
  slug = (await deployment(v.id, [ep.id])).slug;
  failSlug = (await deployment(v.id, [bad.id], { maxAttempts: 1 })).slug;
  imageSlug = (
    await createDeployment({ ctx: systemCtx(), input: {
      name: `cli image ${Date.now()}`,
      slug: `cli-image-${process.pid}-${Date.now().toString(36)}`,
      workflowVersionId: v.id,
      slots: [
        { name: "prompt", nodeId: "6", input: "text", type: "string" },
        { name: "picture", nodeId: "7", input: "text", type: "image" },
      ],
      targets: [{ endpointId: ep.id, priority: 0 }],
    } })
  ).slug;
  admin = (await createApiKey({ name: "cli admin", role: "admin" })).key;
});

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await sandbox?.close();
  await failing?.close();
  await closeDb();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("flowgate CLI against a server", () => {
  it("login checks the key and stores URL and key with mode 0600; a bad key is refused and nothing is stored", async () => {
    const bad = await flowgate(["login", "--url", app.url, "--key", "fg_0123456789ab_notarealkeynotarealkey"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/refused the key: 401/);
    expect(fs.existsSync(path.join(tmp, "cfg", "config.json"))).toBe(false);

    const ok = await flowgate(["login", "--url", app.url], {}, `${admin}\n`);
    expect(ok.code, ok.stderr).toBe(0);
    const file = path.join(tmp, "cfg", "config.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ url: app.url, apiKey: admin });
  });

  it("deployments lists the slugs and slots", async () => {
    const r = await flowgate(["deployments"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${slug}\\s+\\S`));
    expect(r.stdout).toContain("picture:image");
  });

  it("run --wait shows progress, --out downloads the outputs; --image sends a file", async () => {
    const out = path.join(tmp, "out");
    const r = await flowgate(["run", slug, "--input", "prompt=a lighthouse", "--out", out, "--poll-ms", "100"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/run run_\w+: queued/);
    expect(r.stdout).toMatch(/: succeeded/);
    const files = fs.readdirSync(out);
    expect(files.length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(out, files[0])).subarray(1, 4).toString()).toBe("PNG");

    const pic = path.join(tmp, "in.png");
    fs.writeFileSync(pic, PNG);
    const img = await flowgate(["run", imageSlug, "--input", "prompt=x", "--image", `picture=${pic}`, "--wait", "--json", "--poll-ms", "100"]);
    expect(img.code, img.stderr).toBe(0);
    expect(JSON.parse(img.stdout).status).toBe("succeeded");
    const missing = await flowgate(["run", imageSlug, "--image", "picture=/no/such/file.png"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --image picture/);
  });

  it("a failed run exits 1 with the error; bad input exits 1 naming the slot", async () => {
    const r = await flowgate(["run", failSlug, "--input", "prompt=doomed", "--wait", "--poll-ms", "100"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/: failed/);
    expect(r.stdout).toMatch(/error \w+/);
    const bad = await flowgate(["run", slug, "--input", "nope=1"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/422 input_invalid: .*nope/);
  });

  it("runs filters by status and deployment", async () => {
    const r = await flowgate(["runs", "--deployment", failSlug, "--status", "failed"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n").slice(1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes(failSlug) && l.includes("failed"))).toBe(true);
    expect((await flowgate(["runs", "--status", "done"])).code).toBe(1);
  });

  it("keys create|list|revoke over the API; FLOWGATE_URL / FLOWGATE_API_KEY override the stored login", async () => {
    const made = await flowgate(["keys", "create", "--name", "cli made", "--scopes", "read,run", "--deployments", slug, "--expires", "7d"]);
    expect(made.code, made.stderr).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^fg_[0-9a-f]{12}_/);
    expect(made.stderr).toContain(`only ${slug}`);
    const listed = await flowgate(["keys", "list", "--json"]);
    const item = JSON.parse(listed.stdout).find((k: { name: string }) => k.name === "cli made");
    expect(item).toMatchObject({ scopes: ["read", "run"], deployments: [slug], status: "active" });
    expect(listed.stdout).not.toContain(key);

    // The environment wins over the stored admin key: this key may run only `slug`.
    const other = await flowgate(["run", failSlug, "--input", "prompt=x"], { FLOWGATE_API_KEY: key });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/403 deployment_not_allowed/);
    const wrongUrl = await flowgate(["deployments"], { FLOWGATE_URL: "http://127.0.0.1:9" });
    expect(wrongUrl.code).toBe(1);
    expect(wrongUrl.stderr).toMatch(/could not reach http:\/\/127\.0\.0\.1:9/);

    const revoked = await flowgate(["keys", "revoke", item.id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await flowgate(["deployments"], { FLOWGATE_API_KEY: key });
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/401 api_key_revoked/);
  });
});
