// The Prisma client (pg driver adapter) and a raw pg pool for LISTEN/NOTIFY and hot paths.
// One of each per process; created lazily so importing lib/ never opens a connection.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { log } from "@/lib/log";
import { PrismaClient } from "@/lib/generated/prisma/client";

type Globals = { prisma?: PrismaClient; pool?: pg.Pool };
const g = globalThis as unknown as { __flowgate?: Globals };
const state: Globals = (g.__flowgate ??= {});

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm run dev sets it for the embedded database)");
  return url;
}

export function pool(): pg.Pool {
  if (!state.pool) {
    state.pool = new pg.Pool({ connectionString: databaseUrl(), max: Number(process.env.FLOWGATE_DB_POOL ?? 10) });
    // An idle connection dropped by the server (restart, failover) must not crash the process; the
    // pool replaces it on the next query.
    state.pool.on("error", (err) => log.warn("database connection lost; it will be replaced", { err: err.message }));
  }
  return state.pool;
}

export function db(): PrismaClient {
  state.prisma ??= new PrismaClient({
    // An endpoint's cached /object_info is megabytes of JSON; only `endpointObjectInfo` reads it.
    omit: { endpoint: { objectInfo: true } },
    adapter: new PrismaPg(
      { connectionString: databaseUrl(), max: Number(process.env.FLOWGATE_DB_POOL ?? 10) },
      {
        onPoolError: (err: Error) => log.warn("database connection lost; it will be replaced", { err: err.message }),
        onConnectionError: (err: Error) => log.warn("database connection error", { err: err.message }),
      },
    ),
  });
  return state.prisma;
}

export async function closeDb(): Promise<void> {
  await state.prisma?.$disconnect();
  await state.pool?.end();
  state.prisma = undefined;
  state.pool = undefined;
}

export type { PrismaClient };
export { Prisma } from "@/lib/generated/prisma/client";
