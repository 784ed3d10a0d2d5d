// Vitest global setup: one real PostgreSQL for the whole run — a fresh database on DATABASE_URL's
// server when it is set, else a throw-away embedded cluster — migrated like production.
import path from "node:path";
import fs from "node:fs";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";
import { installQueueSchema } from "../../lib/runs/worker";

export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, "../..");
  const dataDir = path.join(root, ".data", `test-${process.pid}`);
  fs.mkdirSync(dataDir, { recursive: true });
  let url: string;
  let stop: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const name = `flowgate_test_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    stop = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    };
  } else {
    const port = 55000 + (process.pid % 5000);
    const db = await startEmbeddedPostgres({ dir: path.join(dataDir, "pg"), port, persistent: false });
    url = db.url;
    stop = db.stop;
  }
  await migrate(url);
  await installQueueSchema(url);
  project.provide("databaseUrl", url);
  project.provide("dataDir", dataDir);
  return async () => {
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    dataDir: string;
  }
}
