// A run is `succeeded` only once its outputs are in Flowgate storage: a storage that fails is
// retried, and then the run fails visibly with the reason; a storage that recovers keeps the run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { createRun } from "@/lib/runs/create-run";
import { closeDb } from "@/lib/db";
import { setStorage, storage, type Storage } from "@/lib/storage";
import { deployment, loraVersion, sandboxEndpoint, waitForTerminal } from "../helpers/world";
import { systemCtx } from "@/lib/context";

process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
process.env.FLOWGATE_POLL_MS = "100";

let sandbox: SandboxHandle;
let worker: WorkerHandle;
let slug: string;
let real: Storage;

beforeAll(async () => {
  sandbox = await startSandbox({ execMs: 100 });
  worker = await startWorker({ concurrency: 5, healthMs: 0 });
  const ep = await sandboxEndpoint(sandbox.url);
  slug = (await deployment((await loraVersion()).id, [ep.id], { maxAttempts: 1 })).slug;
  real = storage();
});

afterAll(async () => {
  setStorage(undefined);
  await worker?.stop();
  await sandbox?.close();
  await closeDb();
});

function flaky(failures: number): Storage & { puts: number } {
  const s = {
    puts: 0,
    async put(key: string, data: Buffer, type: string) {
      s.puts++;
      if (key.startsWith("outputs/") && failures-- > 0) throw new Error("disk full");
      return real.put(key, data, type);
    },
    get: (key: string) => real.get(key),
  };
  return s;
}

describe("output storage", () => {
  it("retries a failing store and succeeds when it recovers", async () => {
    setStorage(flaky(2));
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "retry the disk" } } } });
    const run = await waitForTerminal(runId);
    expect(run.status).toBe("succeeded");
    expect(run.outputs.length).toBeGreaterThan(0);
  });

  it("fails the run visibly when storage stays down, never reporting success without the files", async () => {
    setStorage(flaky(1000));
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "disk is gone" } } } });
    const run = await waitForTerminal(runId);
    expect(run.status).toBe("failed");
    expect(run.outputs).toHaveLength(0);
    expect(JSON.stringify(run.error)).toContain("disk full");
  });
});
