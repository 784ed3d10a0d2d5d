// Waiting inside the drive loop: a timer a NOTIFY for the run can cut short.
import { pool } from "@/lib/db";
import { subscribeRun } from "../listen";
import { isTerminal } from "../status";
import { progressHub } from "@/lib/providers/progress-hub";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Wait up to `ms`; true (early) when the run reached a terminal status, false otherwise. The wait
 * also ends (false) when the live socket of one of `endpointIds` reconnects after dropping: a
 * ComfyUI restart wiped its queue, and the next poll should find out now.
 */
export async function pause(runId: string, ms: number, signal?: AbortSignal, endpointIds: string[] = []): Promise<boolean> {
  const until = Date.now() + ms;
  let reconnected = false;
  const wake: (() => void)[] = [];
  const offs = endpointIds.map((id) => progressHub.onReconnect(id, () => ((reconnected = true), wake.forEach((w) => w()))));
  try {
    return await pauseUntil(runId, until, signal, wake, () => reconnected);
  } finally {
    offs.forEach((off) => off());
  }
}

async function pauseUntil(runId: string, until: number, signal: AbortSignal | undefined, wake: (() => void)[], reconnected: () => boolean): Promise<boolean> {
  while (Date.now() < until && !signal?.aborted && !reconnected()) {
    const woke = await new Promise<boolean>((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
        wake.length = 0;
        resolve(v);
      };
      wake.push(() => done(false));
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
