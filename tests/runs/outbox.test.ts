// The outbox at the database level: what a run's status change causes (its event, its cost, and for
// a terminal status the webhook delivery and its queue job) is written by the change's own statement,
// so it commits or rolls back with the change; a cancel from the API gets its delivery the same way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { createRun } from "@/lib/runs/create-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { transition } from "@/lib/runs/events";
import { pgTransaction as withTx } from "@/lib/db/pg-transaction";
import { closeDb, db, pool } from "@/lib/db";
import { deployment, loraVersion, sandboxEndpoint } from "../helpers/world";
import { systemCtx } from "@/lib/context";

process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint,webhook";

let sandbox: SandboxHandle;
let slug: string;
const hook = "http://127.0.0.1:9/hook"; // never called: no worker runs in this file

beforeAll(async () => {
  sandbox = await startSandbox({ execMs: 100 });
  const ep = await sandboxEndpoint(sandbox.url);
  slug = (await deployment((await loraVersion()).id, [ep.id])).slug;
});

afterAll(async () => {
  await sandbox?.close();
  await closeDb();
});

const jobsFor = async (deliveryId: string) =>
  (await pool().query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1`, [deliveryId])).rows[0].n as number;

describe("run outbox", () => {
  it("a terminal change writes its event, cost, webhook delivery and job in one statement", async () => {
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "outbox" }, webhook: hook } } });
    expect(await transition(runId, "failed", { finishedAt: true, addCostUsd: 0.25, error: { code: "x", message: "y" } })).toBe(true);
    const run = await db().run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("failed");
    expect(Number(run.costUsd)).toBeCloseTo(0.25, 6);
    const deliveries = await db().webhookDelivery.findMany({ where: { runId } });
    expect(deliveries).toMatchObject([{ eventType: "run.failed", status: "pending", url: hook }]);
    expect(await jobsFor(deliveries[0].id)).toBe(1);
    // A second terminal move is refused, and writes nothing.
    expect(await transition(runId, "succeeded", { addCostUsd: 1 })).toBe(false);
    expect(await db().webhookDelivery.count({ where: { runId } })).toBe(1);
    expect(Number((await db().run.findUniqueOrThrow({ where: { id: runId } })).costUsd)).toBeCloseTo(0.25, 6);
  });

  it("rolled back with the transaction it joined: no status, no event, no cost, no delivery, no job", async () => {
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "rolled back" }, webhook: hook } } });
    await expect(
      withTx(async (c) => {
        await transition(runId, "succeeded", { finishedAt: true, addCostUsd: 0.5 }, { attempt: 1 }, c);
        throw new Error("the process died before COMMIT");
      }),
    ).rejects.toThrow("before COMMIT");
    const run = await db().run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("queued");
    expect(Number(run.costUsd)).toBe(0);
    expect(await db().runEvent.count({ where: { runId, type: "status" } })).toBe(1); // only "queued"
    expect(await db().webhookDelivery.count({ where: { runId } })).toBe(0);
    expect((await pool().query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key LIKE $1`, [`msg_${runId.slice(4)}_%`])).rows[0].n).toBe(0);
  });

  it("a cancel gets its run.canceled delivery and job with the change; a run without a webhook gets none", async () => {
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "cancel" }, webhook: hook } } });
    await cancelRun({ ctx: systemCtx(), input: { runId: runId } });
    const deliveries = await db().webhookDelivery.findMany({ where: { runId } });
    expect(deliveries.map((d) => d.eventType)).toEqual(["run.canceled"]);
    expect(await jobsFor(deliveries[0].id)).toBe(1);

    const plain = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "no hook" } } } });
    await cancelRun({ ctx: systemCtx(), input: { runId: plain.runId } });
    expect(await db().webhookDelivery.count({ where: { runId: plain.runId } })).toBe(0);
  });
});
