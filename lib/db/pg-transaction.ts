// A transaction on one raw pg connection: a change and everything it causes (audit row, cost, events,
// NOTIFY, webhook job) commit together or not at all (NOTIFYs are delivered at COMMIT). Rolls back on any error and rethrows it.
import type pg from "pg";
import { pool } from "./index";

export async function pgTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool().connect();
  // A checked-out client has no pool listener: a server that drops the connection between two of
  // our queries (a PostgreSQL restart) would emit an unhandled 'error' and kill the process
  // (bench:kill saw it). Keep the error; the next query fails, the transaction rethrows, and the
  // broken client is destroyed instead of going back to the pool.
  let lost: Error | undefined;
  const onError = (err: Error) => {
    lost = err;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.off("error", onError);
    client.release(lost);
  }
}
