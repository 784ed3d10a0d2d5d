// Bounded waiting for a run, for MCP tools: resolves when the run is terminal, when `seconds` pass,
// or when the client goes away (its request's abort signal); calls `onChange` with each new state
// (status or progress), which the tools turn into MCP progress notifications.
import { getRun } from "@/lib/runs/get-run";
import { subscribeRun } from "@/lib/runs/listen";
import { isTerminal } from "@/lib/runs/status";
import type { Run } from "@/lib/runs/schemas";

/** No MCP call holds longer than this (hosted gateways cut requests at 60 s). */
export const MAX_WAIT_SECONDS = 45;
export const DEFAULT_WAIT_SECONDS = 20;

const fingerprint = (r: Run) => JSON.stringify([r.status, r.progress, r.attempts.length, r.outputs.length]);

export async function waitForRunChanges(runId: string, seconds: number, opts: { signal?: AbortSignal; onChange?: (run: Run) => void | Promise<void> } = {}): Promise<Run> {
  let run = await getRun(runId);
  const bounded = Math.min(Math.max(seconds, 0), MAX_WAIT_SECONDS);
  if (isTerminal(run.status) || bounded === 0 || opts.signal?.aborted) return run;
  let last = fingerprint(run);
  await opts.onChange?.(run);
  await new Promise<void>((resolve) => {
    let done = false;
    let checking = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      opts.signal?.removeEventListener("abort", finish);
      resolve();
    };
    const check = async () => {
      if (done || checking) return;
      checking = true;
      try {
        run = await getRun(runId).catch(() => run);
        const fp = fingerprint(run);
        if (fp !== last) {
          last = fp;
          await Promise.resolve(opts.onChange?.(run)).catch(() => {});
        }
        if (isTerminal(run.status)) finish();
      } finally {
        checking = false;
      }
    };
    const timer = setTimeout(finish, bounded * 1000);
    const poll = setInterval(() => void check(), 1000); // NOTIFY is the fast path; this is the safety net
    const unsubscribe = subscribeRun(runId, () => void check());
    opts.signal?.addEventListener("abort", finish);
  });
  return getRun(runId);
}
