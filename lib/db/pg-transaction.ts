// A transaction on one raw pg connection, for verbs that write with SQL (run status changes) and must
// commit their audit row with the change. Rolls back on any error and rethrows it.
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

