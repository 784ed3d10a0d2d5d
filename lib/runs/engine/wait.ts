// Waiting inside the drive loop: a timer a NOTIFY for the run can cut short.
import { pool } from "@/lib/db";
import { subscribeRun } from "../listen";
import { isTerminal } from "../status";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Wait up to `ms`; true (early) when the run reached a terminal status, false otherwise. */
export async function pause(runId: string, ms: number, signal?: AbortSignal): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until && !signal?.aborted) {
    const woke = await new Promise<boolean>((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
        resolve(v);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), Math.max(0, until - Date.now()));
      const unsubscribe = subscribeRun(runId, () => done(true));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    if (!woke) return false;
    // Our own writes notify too: only an ended run is worth waking up early for.
    const r = await pool().query<{ status: string }>(`SELECT status FROM "Run" WHERE id = $1`, [runId]);
    if (!r.rows[0] || isTerminal(r.rows[0].status)) return true;
  }
  return false;
}
