// The run engine's decision core: a pure function from a snapshot of the run (its status, attempts
// and what the provider last said about the live ones), its targets (enabled, circuit state), the
// deployment's policy and the clock to the next action. No database, no provider, no timers: the
// drive loop (engine.ts) builds the snapshot, asks, and carries the action out with the effect
// modules; then it asks again. Everything the engine *chooses* — retry or give up, where to fail
// over, when to hedge and which racer to cancel, how long to wait, when the run has timed out —
// is decided here and unit-tested in decide.test.ts.
import { isTerminal, type RunStatus } from "../status";

export type AttemptStatus = "pending" | "submitted" | "running" | "succeeded" | "failed" | "lost" | "canceled" | "timed_out";
export type ErrorClass = "retryable" | "lost" | "final";

/** What the provider last said about a live attempt (this tick's poll). */
export type Observation =
  | { state: "queued"; queuePosition?: number | null; stuck?: boolean }
  | { state: "running" }
  | { state: "succeeded" }
  | { state: "failed"; errorClass: ErrorClass }
  | { state: "canceled" }
  /** The status call itself failed; `failures` counts consecutive failed calls. */
  | { state: "unreachable"; errorClass: ErrorClass; failures: number };

export interface AttemptView {
  id: string;
  number: number;
  endpointId: string;
  status: AttemptStatus;
  error?: { code?: string; message?: string; nodeId?: string } | null;
  /** When the provider last said something new about it (ms); absent before the first poll. */
  lastSignAt?: number;
  /** When the provider accepted it / reported it running (ms); absent while not known. */
  submittedAt?: number;
  startedAt?: number;
  observed?: Observation;
}

export interface TargetView {
  endpointId: string;
  name: string;
  priority: number;
  disabled: boolean;
  /** The endpoint's circuit breaker; undefined when not read yet (the core asks for it when it matters). */
  circuitOpen?: boolean;
  /** What recent successful attempts of this deployment on this endpoint took; absent until enough were seen. */
  latency?: Latency;
}

/** A high percentile of recent successful attempts on one endpoint × deployment (ms from the submit). */
export interface Latency {
  /** Submit → started (queue wait + cold start). */
  startedByMs: number;
  /** Submit → finished (queue wait + cold start + execution). */
  finishedByMs: number;
  samples: number;
}

/** Extra GPU time hedges of this deployment cost recently, and the cap (shares of all its GPU time). */
export interface HedgeBudget {
  spentShare: number;
  capShare: number;
}

export interface Policy {
  timeoutMs: number;
  maxAttempts: number;
  stuckAfterMs: number;
  /** Consecutive failed status calls that end an attempt. */
  maxStatusFailures: number;
  pollMs: number;
  maxPollMs: number;
  /** How often a run without an enabled target looks again. */
  targetRecheckMs: number;
}

export interface Snapshot {
  now: number;
  /** In [0, 1): the jitter for a retry's backoff (Math.random() in production). */
  jitter: number;
  run: { status: RunStatus; createdAt: number; progress: unknown };
  attempts: AttemptView[];
  targets: TargetView[];
  policy: Policy;
  /** The previous wait's poll interval (backs off while the run only waits in a provider queue). */
  lastPollMs?: number;
  /** Hedging on lateness spends GPU time; absent = no lateness hedges. */
  hedgeBudget?: HedgeBudget;
  /**
   * How late this process's own event loop runs (ms, recent high percentile). While it is high,
   * silence and failed status calls may be Flowgate's starvation, not the backend's fault: verdicts
   * that would end or hedge an attempt are widened by it, and timeouts of status calls not counted.
   */
  lagMs?: number;
}

/** Event-loop lag above this counts as starvation: status-call timeouts are not held against the backend. */
export const STARVED_LAG_MS = 200;
/** Lateness hedges need this many recent successes on the endpoint to trust its distribution. */
export const MIN_LATENCY_SAMPLES = 20;

/**
 * The live attempt runs late for its endpoint: not started past the learned start-by percentile, or
 * not finished past the finish-by one (each widened by the event-loop lag). False without enough samples.
 */
export function isLate(a: Pick<AttemptView, "submittedAt" | "startedAt">, lat: Latency | undefined, now: number, lagMs = 0): boolean {
  if (!lat || lat.samples < MIN_LATENCY_SAMPLES || a.submittedAt === undefined) return false;
  const age = now - a.submittedAt;
  if (a.startedAt === undefined && age > lat.startedByMs + lagMs) return true;
  return age > lat.finishedByMs + lagMs;
}

/** When the attempt would count as late (ms), or Infinity. */
export function lateAt(a: Pick<AttemptView, "submittedAt" | "startedAt">, lat: Latency | undefined, lagMs = 0): number {
  if (!lat || lat.samples < MIN_LATENCY_SAMPLES || a.submittedAt === undefined) return Infinity;
  return a.submittedAt + (a.startedAt === undefined ? Math.min(lat.startedByMs, lat.finishedByMs) : lat.finishedByMs) + lagMs;
}

export const hedgeBudgetLeft = (b: HedgeBudget | undefined) => !!b && b.capShare > 0 && b.spentShare < b.capShare;

export type RunError = { code: string; message: string; nodeId?: string; details?: Record<string, unknown> };
type AttemptEnd = { status: "canceled" | "timed_out"; error?: { code: string; message: string } };

export type Action =
  /** Nothing left to drive. */
  | { kind: "done" }
  /** Stop these live attempts at the provider and record them; then stop driving, or decide again. */
  | { kind: "cancel"; attemptIds: string[]; as: AttemptEnd; then: "stop" | "continue" }
  /** Store this attempt's outputs and succeed the run; the other live attempts lost the race. */
  | { kind: "succeed"; attemptId: string; recovered: boolean; losers: string[]; loserError: { code: string; message: string } }
  /** The deadline passed: cancel what is live and end the run timed_out. */
  | { kind: "timeout"; cancel: string[]; error: RunError }
  /** Give up: the run fails. */
  | { kind: "fail"; error: RunError }
  /** Start the next attempt on this endpoint after `delayMs` (a retry's backoff; 0 for a failover). */
  | { kind: "submit"; endpointId: string; delayMs: number; retry: boolean }
  /** Race a second attempt on this endpoint next to a quiet one. */
  | { kind: "hedge"; endpointId: string; of: string; reason: "stuck_in_queue" | "no_progress" | "unreachable" | "late" }
  /** A pending attempt (the worker died while submitting): resubmit or write it off. */
  | { kind: "resume"; attemptId: string }
  /** No enabled target: show that on the run and look again after `ms`. */
  | { kind: "waitForTarget"; ms: number }
  /** Ask the provider about every live attempt, then decide again with `observed` filled in. */
  | { kind: "poll" }
  /** Read the circuit state of the targets, then decide again. */
  | { kind: "checkCircuits" }
  /** End these attempts with the error their observation carries; `failRun` when it is final. */
  | { kind: "end"; attempts: { id: string; failRun: boolean }[] }
  /** Nothing to do but wait (a NOTIFY may cut it short). `lead` is the attempt to report progress for. */
  | { kind: "wait"; ms: number; pollMs: number; lead: string | null };

const LIVE: ReadonlySet<AttemptStatus> = new Set(["pending", "submitted", "running"]);
export const isLive = (a: { status: string }) => LIVE.has(a.status as AttemptStatus);

/** Attempt error codes for an attempt an operator's on-call action interrupted. */
const ONCALL_CODES = new Set(["oncall_restart", "oncall_purge"]);
export const isOnCall = (a: Pick<AttemptView, "error">) => ONCALL_CODES.has(a.error?.code ?? "");

/** An error of this class fails the run; any other spends the attempt and the run goes on. */
export const failsRun = (c: ErrorClass) => c === "final";

/**
 * A racer that ended while an earlier attempt it raced is still live (a hedge whose ComfyUI restarted
 * under it, say): the run's try is still going, so it did not use one up. Without this, two failed
 * hedges of a slow attempt exhaust the run's attempts and it can only wait for that attempt.
 */
const endedRacer = (a: AttemptView, attempts: AttemptView[]) => !isLive(a) && attempts.some((o) => isLive(o) && o.number < a.number);
/** Attempts that count against the max: a hedge that lost its race did not fail, nor did a racer of a still-live attempt, nor an attempt an on-call restart / purge interrupted. */
export const countedAttempts = (attempts: AttemptView[]) =>
  attempts.filter((a) => !(a.status === "canceled" && a.error?.code === "hedge_lost") && !isOnCall(a) && !endedRacer(a, attempts)).length;
/** Room for another attempt; hedges are bounded too (at most max × 2 attempts in all). */
export const attemptsLeft = (attempts: AttemptView[], maxAttempts: number) => countedAttempts(attempts) < maxAttempts && attempts.length < maxAttempts * 2;

/**
 * Room to race a silent attempt: even the run's last try may be hedged when it shows no sign of
 * life (stuck in a queue, no progress, its provider unreachable) — otherwise a last attempt that
 * lands in a stuck queue waits out the whole window. The racer does not use up a try while the
 * attempt it races is live (`endedRacer`), a run that may be tried once is never raced, and the
 * bound of max × 2 attempts in all stays.
 */
export const hedgeRoom = (attempts: AttemptView[], maxAttempts: number) => maxAttempts > 1 && attempts.length < maxAttempts * 2;

export const waitingForTarget = (progress: unknown) => (progress as { waitingFor?: string } | null)?.waitingFor === "enabled_target";

/** The run's progress while its lead attempt waits in a provider queue. */
export const queuedProgress = (queuePosition: number | null | undefined) => ({ value: 0, max: 1, nodeId: null, queuePosition: queuePosition ?? null });

export const drainedTargets = (targets: Pick<TargetView, "name">[]) => targets.map((t) => `"${t.name}"`).join(", ") || "none configured";

export const deadlineOf = (s: Snapshot) => s.run.createdAt + s.policy.timeoutMs;

/** Retry backoff: exponential per earlier try on the same endpoint (1 s, 2 s, … 30 s) with ±50 % jitter. */
export const retryBackoffMs = (tries: number, jitter: number) => (tries > 0 ? Math.min(30_000, 1000 * 2 ** (tries - 1)) * (0.5 + jitter) : 0);

/**
 * Where the next attempt goes: by priority, skipping disabled endpoints and `busy` ones (live
 * attempts), failing over away from endpoints this run already tried while a fresher one remains;
 * open circuits go last (never excluded: a run with only broken targets still tries one).
 * "circuits" when the circuit state is needed and unknown.
 */
export function chooseTarget(s: Snapshot, busy: ReadonlySet<string>): TargetView | null | "circuits" {
  const enabled = s.targets.filter((t) => !t.disabled && !busy.has(t.endpointId));
  if (!enabled.length) return null;
  if (enabled.length > 1 && enabled.some((t) => t.circuitOpen === undefined)) return "circuits";
  const tried = new Map<string, number>();
  for (const a of s.attempts) tried.set(a.endpointId, (tried.get(a.endpointId) ?? 0) + 1);
  const rank = (t: TargetView) => [enabled.length > 1 && t.circuitOpen ? 1 : 0, tried.get(t.endpointId) ?? 0, t.priority];
  return [...enabled].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  })[0];
}

/** The next attempt when none is live: submit where (and after what backoff), wait for a target, or give up. */
function nextAttempt(s: Snapshot): Action {
  const { attempts, policy } = s;
  if (!attemptsLeft(attempts, policy.maxAttempts)) {
    const last = attempts.at(-1)?.error;
    return {
      kind: "fail",
      error: {
        code: last?.code ?? "attempts_exhausted",
        message: `All ${countedAttempts(attempts)} attempt(s) failed. Last error: ${last?.message ?? "unknown"}`,
        ...(last?.nodeId ? { nodeId: last.nodeId } : {}),
        details: { attempts: attempts.length },
      },
    };
  }
  const target = chooseTarget(s, new Set());
  if (target === "circuits") return { kind: "checkCircuits" };
  if (!target) return { kind: "waitForTarget", ms: Math.min(policy.targetRecheckMs, deadlineOf(s) - s.now) };
  const tries = attempts.filter((a) => a.endpointId === target.endpointId).length;
  return { kind: "submit", endpointId: target.endpointId, delayMs: Math.min(retryBackoffMs(tries, s.jitter), deadlineOf(s) - s.now), retry: tries > 0 };
}

export function decide(s: Snapshot): Action {
  const { run, attempts, policy, now } = s;
  const live = attempts.filter(isLive);

  // Ended (cancelled, or another worker finished it): only its live attempts are left to stop.
  if (isTerminal(run.status)) {
    return live.length ? { kind: "cancel", attemptIds: live.map((a) => a.id), as: { status: run.status === "timed_out" ? "timed_out" : "canceled" }, then: "stop" } : { kind: "done" };
  }
  // An attempt succeeded but the run's status never moved (a driver stopped in between): finish that.
  const won = attempts.find((a) => a.status === "succeeded");
  if (won) {
    return { kind: "succeed", attemptId: won.id, recovered: true, losers: live.map((a) => a.id), loserError: { code: "hedge_lost", message: `Attempt ${won.number} had already succeeded; this one was cancelled at the provider.` } };
  }
  const deadline = deadlineOf(s);
  if (now >= deadline) {
    const timeoutS = policy.timeoutMs / 1000;
    return {
      kind: "timeout",
      cancel: live.map((a) => a.id),
      error: waitingForTarget(run.progress) && !live.length
        ? {
            code: "no_target",
            message: `No target endpoint of this deployment was enabled within its timeout of ${timeoutS} s (${drainedTargets(s.targets)} drained), so the run never started. Enable one on the Endpoints page, then retry the run.`,
          }
        : { code: "timed_out", message: `The run did not finish within the deployment's timeout of ${timeoutS} s; it was cancelled at the provider.` },
    };
  }
  if (!live.length) return nextAttempt(s);

  const pending = live.find((a) => a.status === "pending");
  if (pending) return { kind: "resume", attemptId: pending.id };
  if (live.some((a) => !a.observed)) return { kind: "poll" };

  // A success wins the race: store it, then cancel the others.
  const win = live.find((a) => a.observed!.state === "succeeded");
  if (win) {
    return { kind: "succeed", attemptId: win.id, recovered: false, losers: live.filter((a) => a !== win).map((a) => a.id), loserError: { code: "hedge_lost", message: `Attempt ${win.number} finished first; this one was cancelled at the provider.` } };
  }

  // Attempts that ended at the provider (failed, cancelled behind our back), or whose provider stays
  // unreachable: end them; a final error fails the run, anything else makes room for a retry.
  const ends: { id: string; failRun: boolean }[] = [];
  // While this process is starved, failed status calls may be our own lateness: give the backend
  // twice the allowance before ending the attempt (a final error still ends it at once).
  const starved = (s.lagMs ?? 0) >= STARVED_LAG_MS;
  const maxFailures = starved ? policy.maxStatusFailures * 2 : policy.maxStatusFailures;
  for (const a of live) {
    const o = a.observed!;
    if (o.state === "unreachable" && (failsRun(o.errorClass) || o.failures >= maxFailures)) ends.push({ id: a.id, failRun: failsRun(o.errorClass) });
    else if (o.state === "failed") ends.push({ id: a.id, failRun: failsRun(o.errorClass) });
    else if (o.state === "canceled") ends.push({ id: a.id, failRun: false });
  }
  if (ends.length) return { kind: "end", attempts: ends };

  const answering = live.filter((a) => a.observed!.state === "queued" || a.observed!.state === "running");
  // Two racing and one has started: the one still queued lost the race to a GPU.
  const started = answering.find((a) => a.observed!.state === "running");
  if (started && answering.length > 1) {
    // Not a hedge started because the running one was late to finish (it was running already when
    // that hedge was submitted): that race is decided by who finishes first.
    const losers = answering.filter(
      (a) => a !== started && a.observed!.state === "queued" && !(started.startedAt !== undefined && a.submittedAt !== undefined && a.submittedAt > started.startedAt),
    );
    if (losers.length) {
      return { kind: "cancel", attemptIds: losers.map((a) => a.id), as: { status: "canceled", error: { code: "hedge_lost", message: `Attempt ${started.number} started first on another endpoint; this one was cancelled while still queued.` } }, then: "continue" };
    }
  }
  // The attempt to report on: the one running, else the newest that answered.
  const lead = started ?? answering.at(-1) ?? null;

  // Hedge: the only live attempt shows no sign of life (stuck in a queue, no progress while running,
  // or its provider unreachable) for the deployment's stuck threshold: race a second attempt on
  // another healthy target. The first to finish wins; the other is cancelled.
  // Or it answers but runs late for its endpoint (past a high percentile of what recent successes
  // there took, widened by our own event-loop lag) and the deployment's hedge budget has room.
  const lag = s.lagMs ?? 0;
  const latencyOf = (a: AttemptView) => s.targets.find((t) => t.endpointId === a.endpointId)?.latency;
  if (live.length === 1) {
    const only = live[0];
    const o = only.observed!;
    const quiet = now - (only.lastSignAt ?? now);
    const providerSaysStuck = o.state === "queued" && o.stuck === true;
    const silent = providerSaysStuck || quiet >= policy.stuckAfterMs + (starved ? lag : 0);
    const late = !silent && (o.state === "queued" || o.state === "running") && hedgeBudgetLeft(s.hedgeBudget) && isLate(only, latencyOf(only), now, lag);
    if ((late && attemptsLeft(attempts, policy.maxAttempts)) || (silent && hedgeRoom(attempts, policy.maxAttempts))) {
      const target = chooseTarget(s, new Set([only.endpointId]));
      if (target === "circuits") return { kind: "checkCircuits" };
      if (target) return { kind: "hedge", endpointId: target.endpointId, of: only.id, reason: late ? "late" : o.state === "queued" ? "stuck_in_queue" : o.state === "running" ? "no_progress" : "unreachable" };
    }
  }

  // Polls back off while a run only waits in a provider queue, but never past the moment it would
  // count as stuck; a NOTIFY for the run (cancel, another worker) cuts the wait short.
  const lo = lead?.observed;
  const queueMoved = lo?.state === "queued" && JSON.stringify(queuedProgress(lo.queuePosition)) !== JSON.stringify(run.progress);
  const failures = live.map((a) => (a.observed!.state === "unreachable" ? (a.observed as { failures: number }).failures : 0));
  const last = s.lastPollMs ?? policy.pollMs;
  const pollMs =
    lo?.state === "queued" && !queueMoved
      ? Math.min(policy.maxPollMs, Math.round(last * 1.5))
      : failures.some((f) => f > 0)
        ? Math.min(policy.pollMs * 2 ** Math.max(...failures, 0), 5000)
        : policy.pollMs;
  const quietest = Math.min(...live.map((a) => a.lastSignAt ?? now));
  let hedgeAt = quietest + policy.stuckAfterMs + (starved ? lag : 0);
  // Wake when the only attempt would turn late, too (if a lateness hedge could start then).
  if (live.length === 1 && hedgeBudgetLeft(s.hedgeBudget)) hedgeAt = Math.min(hedgeAt, lateAt(live[0], latencyOf(live[0]), lag));
  return { kind: "wait", ms: Math.min(pollMs, deadline - now, hedgeAt > now ? hedgeAt - now + 10 : Infinity), pollMs, lead: lead?.id ?? null };
}
