// Issue #14 row 11: while PostgreSQL is down, POST …/runs and GET /runs/{id} answered 500. They answer
// 503 database_unavailable with Retry-After now (API.md: 503 when a dependency is down). This file
// runs its own PostgreSQL (a second embedded cluster) so it can stop it under live connection pools.
import net from "node:net";
import path from "node:path";
import { inject } from "vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { installQueueSchema } from "@/lib/runs/worker";
import { closeDb } from "@/lib/db";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { createRun } from "@/lib/runs/create-run";
import { getRun } from "@/lib/runs/get-run";
import { errorResponse } from "@/lib/api/with-api";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { deployment, loraVersion, sandboxEndpoint } from "../helpers/world";
import { systemCtx } from "@/lib/context";

let pg: EmbeddedDatabase;
let sandbox: SandboxHandle;
let key: string;
let slug: string;
let runId: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  await closeDb();
  pg = await startEmbeddedPostgres({ dir: path.join(inject("dataDir"), `pg-down-${process.pid}`), port: await freePort(), persistent: false });
  await migrate(pg.url);
  await installQueueSchema(pg.url);
  process.env.DATABASE_URL = pg.url;
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  sandbox = await startSandbox({ execMs: 50 });
  key = (await createApiKey({ name: "db down", role: "admin" })).key;
  const ep = await sandboxEndpoint(sandbox.url);
  const d = await deployment((await loraVersion()).id, [ep.id]);
  slug = d.slug;
  const r = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key, body: { inputs: { prompt: "a fox" } } });
  expect(r.status).toBe(202);
  runId = r.body.id;
  // Both pools hold live connections now; stopping the server terminates them under the pools.
  expect((await callJson("GET", `/api/v1/runs/${runId}`, { key })).status).toBe(200);
  await pg.stop();
}, 180_000);

afterAll(async () => {
  await sandbox?.close();
  await closeDb();
  process.env.DATABASE_URL = inject("databaseUrl");
});

async function expect503(res: Response | { status: number; body: any; headers: Headers }) {
  const body = res instanceof Response ? await res.json() : res.body;
  expect(res.status, JSON.stringify(body)).toBe(503);
  expect(body.error.code).toBe("database_unavailable");
  expect(typeof body.error.message).toBe("string");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
}

describe("PostgreSQL down", () => {
  it("POST …/runs and GET /runs/{id} answer 503 database_unavailable with Retry-After", async () => {
    for (let i = 0; i < 3; i++) {
      // Several times: the first calls meet terminated pooled connections, later ones a refused connect.
      await expect503(await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key, body: { inputs: { prompt: "a fox" } } }));
      await expect503(await callJson("GET", `/api/v1/runs/${runId}`, { key }));
    }
  });

  it("the run verbs themselves fail with errors the API maps to 503 (past authentication too)", async () => {
    const create = await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: "x" } } } }).then(() => null, (e) => e);
    expect(create).toBeTruthy();
    await expect503(errorResponse(create));
    const get = await getRun(runId).then(() => null, (e) => e);
    await expect503(errorResponse(get));
  });
});
