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

/** Resolve when the run is terminal or `seconds` pass, whichever is first. */
export async function waitForRun(id: string, seconds: number): Promise<RunJson> {
  let run = await getRun(id);
  if (isTerminal(run.status) || seconds <= 0) return run;
  const until = Date.now() + seconds * 1000;
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      resolve();
    };
    const check = async () => {
      run = await getRun(id).catch(() => run);
      if (isTerminal(run.status)) finish();
    };
    const timer = setTimeout(finish, until - Date.now());
    const poll = setInterval(check, 2000); // NOTIFY is the fast path; this is the safety net
    const unsubscribe = subscribeRun(id, () => void check());
  });
  return getRun(id);
}
