// Read a run as the public Run object; optionally wait (bounded) until it is terminal.
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { runInclude, serializeRun, type RunJson } from "./serialize";
import { isTerminal } from "./status";
import { subscribeRun } from "./listen";

export async function getRun(id: string): Promise<RunJson> {
  const r = await db().run.findUnique({ where: { id }, include: runInclude });
  if (!r) throw notFound("Run", id);
  return serializeRun(r);
}

export interface WaitOptions {
  /** Stop waiting when it aborts (the client went away). */
  signal?: AbortSignal;
  /** Called with the run first and then with each new state (status, progress, attempts, outputs). */
  onChange?: (run: RunJson) => void | Promise<void>;
  /** The safety-net poll beside NOTIFY (default 2 s). */
  pollMs?: number;
}

const fingerprint = (r: RunJson) => JSON.stringify([r.status, r.progress, r.attempts.length, r.outputs.length]);

/** Resolve when the run is terminal, `seconds` pass or `signal` aborts, whichever is first. */
export async function waitForRun(id: string, seconds: number, opts: WaitOptions = {}): Promise<RunJson> {
  let run = await getRun(id);
  if (isTerminal(run.status) || seconds <= 0 || opts.signal?.aborted) return run;
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
        run = await getRun(id).catch(() => run);
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
    const timer = setTimeout(finish, seconds * 1000);
    const poll = setInterval(() => void check(), opts.pollMs ?? 2000); // NOTIFY is the fast path; this is the safety net
    const unsubscribe = subscribeRun(id, () => void check());
    opts.signal?.addEventListener("abort", finish);
  });
  return getRun(id);
}
