// One pg transaction: the engine's changes and everything they cause (cost, events, NOTIFY, webhook
// job) commit together or not at all. NOTIFYs are only delivered at COMMIT.
import type pg from "pg";
import { pool } from "@/lib/db";

export async function withTx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool().connect();
  try {
    await c.query("BEGIN");
    const value = await fn(c);
    await c.query("COMMIT");
    return value;
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}
