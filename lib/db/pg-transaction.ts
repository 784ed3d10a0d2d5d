// A transaction on one raw pg connection: a change and everything it causes (audit row, cost, events,
// NOTIFY, webhook job) commit together or not at all (NOTIFYs are delivered at COMMIT). Rolls back on any error and rethrows it.
import type pg from "pg";
import { pool } from "./index";

export async function pgTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

