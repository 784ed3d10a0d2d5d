// The Prisma client (pg driver adapter) and a raw pg pool for LISTEN/NOTIFY and hot paths.
// One of each per process; created lazily so importing lib/ never opens a connection.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
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
  state.pool ??= new pg.Pool({ connectionString: databaseUrl(), max: Number(process.env.FLOWGATE_DB_POOL ?? 10) });
  return state.pool;
}

export function db(): PrismaClient {
  state.prisma ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl(), max: Number(process.env.FLOWGATE_DB_POOL ?? 10) }),
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
