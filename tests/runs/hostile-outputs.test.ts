// A hostile backend chooses the output URLs Flowgate downloads. RunPod / RunComfy look-alikes that
// point them (directly or by a redirect) at a loopback-only service get the attempt refused with a
// clear error, and the service is never called; an oversized output is cut off at
// FLOWGATE_MAX_OUTPUT_BYTES. (On the old code the output was fetched with no check, following
// redirects, and a viewer could download what the internal service answered.)
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { createRun } from "@/lib/runs/create-run";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { closeDb } from "@/lib/db";
import { deployment, loraVersion, waitForTerminal } from "../helpers/world";
import { systemCtx } from "@/lib/context";

let internal: http.Server;
let internalUrl = "";
let internalHits = 0;
let worker: WorkerHandle;
let versionId: string;
const sandboxes: SandboxHandle[] = [];

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint"; // the look-alikes run on 127.0.0.1, as a LAN backend would
  process.env.FLOWGATE_POLL_MS = "200";
  // A loopback-only service (think: an admin API, a metadata endpoint) the backend wants us to read.
  internal = http.createServer((_req, res) => {
    internalHits++;
    res.writeHead(200, { "content-type": "image/png" });
    res.end("INTERNAL SECRET");
  });
  await new Promise<void>((r) => internal.listen(0, "127.0.0.1", r));
  internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/admin/secret.png`;
  worker = await startWorker({ concurrency: 5, healthMs: 0 });
  versionId = (await loraVersion()).id;
});

afterEach(() => {
  internalHits = 0;
  delete process.env.FLOWGATE_MAX_OUTPUT_BYTES;
});

afterAll(async () => {
  await worker?.stop();
  for (const s of sandboxes) await s.close();
  internal?.close();
  await closeDb();
});

async function runOn(sandbox: SandboxHandle, provider: "runpod" | "runcomfy") {
  sandboxes.push(sandbox);
  const config = provider === "runpod" ? { endpointId: "ep-hostile", baseUrl: sandbox.url } : { deploymentId: "dep-hostile", baseUrl: sandbox.url };
  const ep = await createEndpoint({ ctx: systemCtx(), input: { name: `hostile ${provider} ${Date.now()}`, provider, config, secret: "k" } });
  const d = await deployment(versionId, [ep.id], { maxAttempts: 1 });
  const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "hostile" } } } });
  return waitForTerminal(runId, 40_000);
}

const attemptError = (run: any) => run.attempts?.[run.attempts.length - 1]?.error ?? run.error;

describe("hostile backends: output URLs", () => {
  it("RunComfy look-alike returning output URLs on another loopback service: refused, the service never called", async () => {
    const run = await runOn(await startSandbox({ provider: "runcomfy", execMs: 100, hostileOutputUrl: internalUrl }), "runcomfy");
    expect(run.status).toBe("failed");
    const err = attemptError(run);
    expect(err.code, JSON.stringify(err)).toBe("url_not_allowed");
    expect(err.message).toMatch(/loopback/);
    expect(err.message).toContain("FLOWGATE_ALLOW_PRIVATE_URLS=output");
    expect(run.outputs).toEqual([]);
    expect(internalHits).toBe(0);
  });

  it("RunPod look-alike (bucket URLs) whose file redirects to loopback: the redirect hop is refused", async () => {
    const run = await runOn(await startSandbox({ provider: "runpod", execMs: 100, outputShape: "s3", outputRedirect: internalUrl }), "runpod");
    expect(run.status).toBe("failed");
    expect(attemptError(run).code, JSON.stringify(attemptError(run))).toBe("url_not_allowed");
    expect(internalHits).toBe(0);
  });

  it("an output above FLOWGATE_MAX_OUTPUT_BYTES is aborted at the limit", async () => {
    process.env.FLOWGATE_MAX_OUTPUT_BYTES = "200";
    const run = await runOn(await startSandbox({ provider: "runpod", execMs: 100, outputShape: "s3" }), "runpod");
    expect(run.status).toBe("failed");
    const err = attemptError(run);
    expect(err.code, JSON.stringify(err)).toBe("output_too_large");
    expect(err.message).toContain("FLOWGATE_MAX_OUTPUT_BYTES");
  });

  it("control: the same look-alike serving its own outputs (the endpoint's origin) succeeds", async () => {
    const run = await runOn(await startSandbox({ provider: "runcomfy", execMs: 100 }), "runcomfy");
    expect(run.status, JSON.stringify(run.error)).toBe("succeeded");
    expect(run.outputs.length).toBeGreaterThan(0);
  });
});
