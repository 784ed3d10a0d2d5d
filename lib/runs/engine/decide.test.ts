// The engine's decision core, without a database, a provider or a timer: each case is a snapshot
// (run, attempts, targets with circuit state, policy, clock) and the action the engine must take.
import { describe, expect, it } from "vitest";
import { decide, type AttemptView, type Snapshot, type TargetView } from "./decide";

const T0 = 1_000_000;
const policy = { timeoutMs: 600_000, maxAttempts: 3, stuckAfterMs: 60_000, maxStatusFailures: 5, pollMs: 1000, maxPollMs: 5000, targetRecheckMs: 2000 };
const target = (endpointId: string, priority: number, extra: Partial<TargetView> = {}): TargetView => ({ endpointId, name: endpointId, priority, disabled: false, circuitOpen: false, ...extra });
let n = 0;
const attempt = (endpointId: string, status: AttemptView["status"], extra: Partial<AttemptView> = {}): AttemptView => ({ id: `att_${++n}`, number: n, endpointId, status, ...extra });

function snap(over: Partial<Snapshot> = {}): Snapshot {
  return { now: T0 + 10_000, jitter: 0.5, run: { status: "queued", createdAt: T0, progress: null }, attempts: [], targets: [target("a", 0), target("b", 1)], policy, ...over };
}
const numbered = (attempts: AttemptView[]) => attempts.map((a, i) => ({ ...a, number: i + 1 }));

describe("decide: where the first attempt goes", () => {
  it("submits to the highest-priority enabled target at once", () => {
    expect(decide(snap())).toEqual({ kind: "submit", endpointId: "a", delayMs: 0, retry: false });
  });
  it("skips a disabled target", () => {
    expect(decide(snap({ targets: [target("a", 0, { disabled: true }), target("b", 1)] }))).toMatchObject({ kind: "submit", endpointId: "b" });
  });
  it("waits for a target when every one is drained, re-checking within the deadline", () => {
    const s = snap({ targets: [target("a", 0, { disabled: true })] });
    expect(decide(s)).toEqual({ kind: "waitForTarget", ms: 2000 });
    expect(decide({ ...s, now: T0 + policy.timeoutMs - 500 })).toEqual({ kind: "waitForTarget", ms: 500 });
  });
});

describe("decide: retry and failover", () => {
  it("fails over at once to a target this run has not tried after a lost attempt", () => {
    const attempts = numbered([attempt("a", "lost", { error: { code: "prompt_lost", message: "gone" } })]);
    expect(decide(snap({ attempts }))).toEqual({ kind: "submit", endpointId: "b", delayMs: 0, retry: false });
  });
  it("retries on the same endpoint with exponential backoff when it is the only target", () => {
    const one = [target("a", 0)];
    const first = numbered([attempt("a", "failed", { error: { code: "x", message: "boom" } })]);
    expect(decide(snap({ targets: one, attempts: first }))).toEqual({ kind: "submit", endpointId: "a", delayMs: 1000, retry: true });
    const second = numbered([...first, attempt("a", "failed")]);
    expect(decide(snap({ targets: one, attempts: second, jitter: 0 }))).toEqual({ kind: "submit", endpointId: "a", delayMs: 1000, retry: true });
    expect(decide(snap({ targets: one, attempts: second, jitter: 0.99 }))).toMatchObject({ delayMs: 2000 * 1.49 });
  });
  it("never waits past the deadline for a backoff", () => {
    const attempts = numbered([attempt("a", "failed"), attempt("a", "failed")]);
    expect(decide(snap({ targets: [target("a", 0)], attempts, now: T0 + policy.timeoutMs - 300 }))).toMatchObject({ kind: "submit", delayMs: 300 });
  });
  it("gives up after maxAttempts with the last attempt's error (and its node)", () => {
    const attempts = numbered([attempt("a", "failed"), attempt("b", "lost"), attempt("a", "failed", { error: { code: "node_error", message: "KSampler exploded", nodeId: "3" } })]);
    expect(decide(snap({ attempts }))).toEqual({
      kind: "fail",
      error: { code: "node_error", message: "All 3 attempt(s) failed. Last error: KSampler exploded", nodeId: "3", details: { attempts: 3 } },
    });
  });
  it("does not count a hedge that lost its race, nor an attempt an on-call restart interrupted", () => {
    const attempts = numbered([
      attempt("a", "canceled", { error: { code: "hedge_lost" } }),
      attempt("a", "lost", { error: { code: "oncall_restart" } }),
      attempt("b", "failed"),
    ]);
    expect(decide(snap({ attempts }))).toMatchObject({ kind: "submit" });
  });
  it("ends an attempt whose provider reports a failure; a final error fails the run, a retryable one does not", () => {
    const final = attempt("a", "running", { observed: { state: "failed", errorClass: "final" }, lastSignAt: T0 });
    expect(decide(snap({ run: { status: "running", createdAt: T0, progress: null }, attempts: [final] }))).toEqual({ kind: "end", attempts: [{ id: final.id, failRun: true }] });
    const retryable = attempt("a", "running", { observed: { state: "failed", errorClass: "retryable" }, lastSignAt: T0 });
    expect(decide(snap({ attempts: [retryable] }))).toEqual({ kind: "end", attempts: [{ id: retryable.id, failRun: false }] });
  });
  it("ends an attempt whose provider stays unreachable only after maxStatusFailures status calls, backing off the polls meanwhile", () => {
    const a = (failures: number) => attempt("a", "submitted", { observed: { state: "unreachable", errorClass: "retryable", failures }, lastSignAt: T0 + 9000 });
    const wait = decide(snap({ targets: [target("a", 0)], attempts: [a(2)] }));
    expect(wait).toMatchObject({ kind: "wait", pollMs: 4000 });
    const gone = a(5);
    expect(decide(snap({ attempts: [gone] }))).toEqual({ kind: "end", attempts: [{ id: gone.id, failRun: false }] });
  });
  it("treats a job the provider cancelled behind our back as lost, not as a failure of the run", () => {
    const a = attempt("a", "running", { observed: { state: "canceled" } });
    expect(decide(snap({ attempts: [a] }))).toEqual({ kind: "end", attempts: [{ id: a.id, failRun: false }] });
  });
  it("resumes a pending attempt (the worker died while submitting) before anything else", () => {
    const a = attempt("a", "pending");
    expect(decide(snap({ attempts: [a] }))).toEqual({ kind: "resume", attemptId: a.id });
  });
});

describe("decide: circuit breaker", () => {
  it("puts a target whose circuit is open last, but still uses it when it is the only one", () => {
    expect(decide(snap({ targets: [target("a", 0, { circuitOpen: true }), target("b", 1)] }))).toMatchObject({ kind: "submit", endpointId: "b" });
    expect(decide(snap({ targets: [target("a", 0, { circuitOpen: true })] }))).toMatchObject({ kind: "submit", endpointId: "a" });
    expect(decide(snap({ targets: [target("a", 0, { circuitOpen: true }), target("b", 1, { circuitOpen: true })] }))).toMatchObject({ kind: "submit", endpointId: "a" });
  });
  it("asks for the circuit state when it must choose among targets and does not know it; not with one target", () => {
    expect(decide(snap({ targets: [target("a", 0, { circuitOpen: undefined }), target("b", 1, { circuitOpen: undefined })] }))).toEqual({ kind: "checkCircuits" });
    expect(decide(snap({ targets: [target("a", 0, { circuitOpen: undefined })] }))).toMatchObject({ kind: "submit", endpointId: "a" });
  });
  it("prefers an untried target over a closed circuit it already failed on", () => {
    const attempts = numbered([attempt("a", "failed")]);
    expect(decide(snap({ attempts, targets: [target("a", 0), target("b", 1), target("c", 2, { circuitOpen: true })] }))).toMatchObject({ endpointId: "b", delayMs: 0 });
  });
});

describe("decide: polling and waiting", () => {
  it("polls live attempts it has no observation for", () => {
    expect(decide(snap({ attempts: [attempt("a", "submitted")] }))).toEqual({ kind: "poll" });
  });
  it("backs off the poll while the run only waits in a provider queue, up to the max; not while the queue moves", () => {
    const a = attempt("a", "submitted", { observed: { state: "queued", queuePosition: 3 }, lastSignAt: T0 + 9000 });
    const still = snap({ attempts: [a], run: { status: "submitted", createdAt: T0, progress: { value: 0, max: 1, nodeId: null, queuePosition: 3 } }, lastPollMs: 4000 });
    expect(decide(still)).toMatchObject({ kind: "wait", pollMs: 5000, ms: 5000, lead: a.id });
    expect(decide({ ...still, run: { ...still.run, progress: null } })).toMatchObject({ kind: "wait", pollMs: 1000 });
  });
  it("never waits past the moment the only attempt would count as stuck, nor past the deadline", () => {
    const a = attempt("a", "running", { observed: { state: "running" }, lastSignAt: T0 + 10_000 - 59_500 });
    expect(decide(snap({ attempts: [a] }))).toMatchObject({ kind: "wait", ms: 510 });
    const b = attempt("a", "running", { observed: { state: "running" }, lastSignAt: T0 + policy.timeoutMs - 1000 });
    expect(decide(snap({ attempts: [b], now: T0 + policy.timeoutMs - 200 }))).toMatchObject({ kind: "wait", ms: 200 });
  });
});

describe("decide: hedging", () => {
  const running = { status: "running" as const, createdAt: T0, progress: null };
  it("hedges the only attempt on another target when it shows no progress for the stuck threshold", () => {
    const a = attempt("a", "running", { observed: { state: "running" }, lastSignAt: T0 + 10_000 - 60_000 });
    expect(decide(snap({ run: running, attempts: [a] }))).toEqual({ kind: "hedge", endpointId: "b", of: a.id, reason: "no_progress" });
  });
  it("hedges at once when the provider itself says the job is stuck in its queue", () => {
    const a = attempt("a", "submitted", { observed: { state: "queued", stuck: true }, lastSignAt: T0 + 9000 });
    expect(decide(snap({ attempts: [a] }))).toEqual({ kind: "hedge", endpointId: "b", of: a.id, reason: "stuck_in_queue" });
  });
  it("hedges an attempt whose provider is unreachable (but not yet given up on)", () => {
    const a = attempt("a", "submitted", { observed: { state: "unreachable", errorClass: "retryable", failures: 1 }, lastSignAt: T0 - 60_000 });
    expect(decide(snap({ attempts: [a] }))).toMatchObject({ kind: "hedge", reason: "unreachable" });
  });
  it("does not hedge without another enabled target: it just waits", () => {
    const a = attempt("a", "running", { observed: { state: "running" }, lastSignAt: T0 - 60_000 });
    expect(decide(snap({ run: running, attempts: [a], targets: [target("a", 0), target("b", 1, { disabled: true })] }))).toMatchObject({ kind: "wait" });
  });
  it("hedges a silent last attempt (a stuck queue would hold it for the whole window), but never one that is only late, nor a run tried once", () => {
    const silentLast = numbered([attempt("a", "failed"), attempt("b", "failed"), attempt("a", "submitted", { observed: { state: "queued", stuck: true }, lastSignAt: T0 + 9000 })]);
    expect(decide(snap({ attempts: silentLast }))).toMatchObject({ kind: "hedge", of: silentLast[2].id, reason: "stuck_in_queue" });
    // Late but answering: the last try is not raced.
    const latency = { startedByMs: 2000, finishedByMs: 5000, samples: 50 };
    const now = T0 + 10_000;
    const late = () => attempt("a", "running", { observed: { state: "running" }, lastSignAt: now - 100, submittedAt: now - 6000, startedAt: now - 5500 });
    const targets = [target("a", 0, { latency }), target("b", 1)];
    const budget = { spentShare: 0.02, capShare: 0.1 };
    // (the same attempt as the run's first try is raced: the rule is only about the last one)
    expect(decide(snap({ run: running, attempts: [late()], targets, hedgeBudget: budget }))).toMatchObject({ kind: "hedge", reason: "late" });
    const lateLast = numbered([attempt("a", "failed"), attempt("b", "failed"), late()]);
    expect(decide(snap({ run: running, attempts: lateLast, targets, hedgeBudget: budget }))).toMatchObject({ kind: "wait" });
    // maxAttempts 1: one try, never raced.
    const once = [attempt("a", "submitted", { observed: { state: "queued", stuck: true }, lastSignAt: T0 + 9000 })];
    expect(decide(snap({ attempts: once, policy: { ...policy, maxAttempts: 1 } }))).toMatchObject({ kind: "wait" });
    // The racer's own failure while the slow one is live does not count; the max × 2 bound still holds.
    const full = numbered([attempt("a", "failed"), attempt("b", "failed"), attempt("b", "lost"), attempt("b", "lost"), attempt("b", "lost"), attempt("a", "submitted", { observed: { state: "queued", stuck: true }, lastSignAt: T0 + 9000 })]);
    expect(decide(snap({ attempts: full }))).toMatchObject({ kind: "wait" });
  });
  it("hedges again when its racers failed while the slow attempt is still live: they did not use up the run's attempts", () => {
    const running = { status: "running" as const, createdAt: T0, progress: null };
    const three = [target("a", 0), target("b", 1), target("c", 2)];
    // a still running silently; hedges on b and c were lost (their ComfyUIs restarted).
    const attempts = numbered([
      attempt("a", "running", { observed: { state: "running" }, lastSignAt: T0 - 60_000 }),
      attempt("b", "lost", { error: { code: "prompt_lost", message: "gone" } }),
      attempt("c", "lost", { error: { code: "prompt_lost", message: "gone" } }),
    ]);
    expect(decide(snap({ run: running, attempts, targets: three }))).toMatchObject({ kind: "hedge", of: attempts[0].id, reason: "no_progress" });
    // Bounded all the same: never more than maxAttempts × 2 attempts in all.
    const many = numbered([...attempts, attempt("b", "lost"), attempt("c", "lost"), attempt("b", "lost")]);
    expect(decide(snap({ run: running, attempts: many, targets: three }))).toMatchObject({ kind: "wait" });
    // Once the slow one ends too, every failure counts: the run gives up.
    const ended = numbered([attempt("a", "lost", { error: { code: "prompt_lost", message: "gone" } }), ...attempts.slice(1)]);
    expect(decide(snap({ run: running, attempts: ended, targets: three }))).toMatchObject({ kind: "fail" });
  });
  it("never hedges a hedge: with two racing it only waits", () => {
    const attempts = numbered([attempt("a", "submitted", { observed: { state: "queued" }, lastSignAt: T0 - 60_000 }), attempt("b", "submitted", { observed: { state: "queued" }, lastSignAt: T0 - 60_000 })]);
    expect(decide(snap({ attempts, targets: [target("a", 0), target("b", 1), target("c", 2)] }))).toMatchObject({ kind: "wait" });
  });
});

describe("decide: hedging on lateness", () => {
  const running = { status: "running" as const, createdAt: T0, progress: null };
  const now = T0 + 10_000;
  const lat = { startedByMs: 2000, finishedByMs: 5000, samples: 50 };
  const budget = { spentShare: 0.02, capShare: 0.1 };
  const withLat = [target("a", 0, { latency: lat }), target("b", 1)];
  it("hedges an attempt that answers but runs past its endpoint's finish-by percentile", () => {
    const a = attempt("a", "running", { observed: { state: "running" }, lastSignAt: now - 100, submittedAt: now - 6000, startedAt: now - 5500 });
    expect(decide(snap({ run: running, attempts: [a], targets: withLat, hedgeBudget: budget }))).toEqual({ kind: "hedge", endpointId: "b", of: a.id, reason: "late" });
  });
  it("hedges a queued attempt that has not started past the start-by percentile (queue wait + cold start)", () => {
    const a = attempt("a", "submitted", { observed: { state: "queued", queuePosition: 3 }, lastSignAt: now - 100, submittedAt: now - 2500 });
    expect(decide(snap({ attempts: [a], targets: withLat, hedgeBudget: budget }))).toMatchObject({ kind: "hedge", reason: "late" });
  });
  it("does not hedge on lateness once the deployment's hedge budget is spent, nor without one", () => {
    const a = attempt("a", "running", { observed: { state: "running" }, lastSignAt: now - 100, submittedAt: now - 6000, startedAt: now - 5500 });
    expect(decide(snap({ run: running, attempts: [a], targets: withLat, hedgeBudget: { spentShare: 0.1, capShare: 0.1 } }))).toMatchObject({ kind: "wait" });
    expect(decide(snap({ run: running, attempts: [a], targets: withLat }))).toMatchObject({ kind: "wait" });
  });
  it("does not trust a distribution of too few successes", () => {
    const a = attempt("a", "running", { observed: { state: "running" }, lastSignAt: now - 100, submittedAt: now - 6000, startedAt: now - 5500 });
    const few = [target("a", 0, { latency: { ...lat, samples: 3 } }), target("b", 1)];
    expect(decide(snap({ run: running, attempts: [a], targets: few, hedgeBudget: budget }))).toMatchObject({ kind: "wait" });
  });
  it("an attempt within its percentile waits, waking when it would turn late", () => {
    const a = attempt("a", "running", { observed: { state: "running" }, lastSignAt: now - 100, submittedAt: now - 4000, startedAt: now - 3500 });
    expect(decide(snap({ run: running, attempts: [a], targets: withLat, hedgeBudget: budget, policy: { ...policy, pollMs: 5000 } }))).toMatchObject({ kind: "wait", ms: 1010 });
  });
  it("widens the percentile by the event-loop lag: a starved Flowgate is not a late backend", () => {
    const a = attempt("a", "running", { observed: { state: "running" }, lastSignAt: now - 100, submittedAt: now - 6000, startedAt: now - 5500 });
    expect(decide(snap({ run: running, attempts: [a], targets: withLat, hedgeBudget: budget, lagMs: 1500 }))).toMatchObject({ kind: "wait" });
  });
  it("keeps racing a hedge submitted while the late attempt was already running: first to finish wins", () => {
    const [a, b] = numbered([
      attempt("a", "running", { observed: { state: "running" }, lastSignAt: now - 100, submittedAt: now - 6000, startedAt: now - 5500 }),
      attempt("b", "submitted", { observed: { state: "queued" }, lastSignAt: now - 100, submittedAt: now - 200 }),
    ]);
    expect(decide(snap({ run: running, attempts: [a, b], targets: withLat, hedgeBudget: budget }))).toMatchObject({ kind: "wait" });
  });
});

describe("decide: a starved Flowgate does not blame the backend", () => {
  it("ends an unreachable attempt after maxStatusFailures, but allows twice as many while the event loop lags", () => {
    const a = attempt("a", "submitted", { observed: { state: "unreachable", errorClass: "retryable", failures: 5 }, lastSignAt: T0 + 9000 });
    expect(decide(snap({ attempts: [a] }))).toEqual({ kind: "end", attempts: [{ id: a.id, failRun: false }] });
    expect(decide(snap({ attempts: [a], lagMs: 500 }))).toMatchObject({ kind: "wait" });
  });
  it("widens the silence threshold by the lag before hedging", () => {
    const running = { status: "running" as const, createdAt: T0, progress: null };
    const a = attempt("a", "running", { observed: { state: "running" }, lastSignAt: T0 + 10_000 - 60_000 });
    expect(decide(snap({ run: running, attempts: [a], lagMs: 2000 }))).toMatchObject({ kind: "wait" });
    expect(decide(snap({ run: running, attempts: [a], lagMs: 2000, now: T0 + 12_000 }))).toMatchObject({ kind: "hedge", reason: "no_progress" });
  });
});

describe("decide: cancel and the race", () => {
  it("cancels the racer still queued once the other one started running", () => {
    const [a, b] = numbered([attempt("a", "submitted", { observed: { state: "queued" } }), attempt("b", "running", { observed: { state: "running" } })]);
    expect(decide(snap({ attempts: [a, b] }))).toEqual({
      kind: "cancel",
      attemptIds: [a.id],
      as: { status: "canceled", error: { code: "hedge_lost", message: "Attempt 2 started first on another endpoint; this one was cancelled while still queued." } },
      then: "continue",
    });
  });
  it("two racers both running: neither is cancelled, it waits and reports on the first (no busy loop)", () => {
    const [a, b] = numbered([attempt("a", "running", { observed: { state: "running" }, lastSignAt: T0 + 9000 }), attempt("b", "running", { observed: { state: "running" }, lastSignAt: T0 + 9000 })]);
    expect(decide(snap({ attempts: [a, b] }))).toMatchObject({ kind: "wait", pollMs: 1000, lead: a.id });
  });
  it("succeeds with the first attempt to finish and cancels the loser", () => {
    const [a, b] = numbered([attempt("a", "running", { observed: { state: "running" } }), attempt("b", "running", { observed: { state: "succeeded" } })]);
    expect(decide(snap({ attempts: [a, b] }))).toEqual({
      kind: "succeed",
      attemptId: b.id,
      recovered: false,
      losers: [a.id],
      loserError: { code: "hedge_lost", message: "Attempt 2 finished first; this one was cancelled at the provider." },
    });
  });
  it("a cancelled run stops its live attempts at the provider, and then is done", () => {
    const a = attempt("a", "running");
    expect(decide(snap({ run: { status: "canceled", createdAt: T0, progress: null }, attempts: [a] }))).toEqual({ kind: "cancel", attemptIds: [a.id], as: { status: "canceled" }, then: "stop" });
    expect(decide(snap({ run: { status: "canceled", createdAt: T0, progress: null }, attempts: [{ ...a, status: "canceled" }] }))).toEqual({ kind: "done" });
  });
  it("finishes a run whose attempt already succeeded (a driver died before the run moved), stopping any other live one", () => {
    const [a, b] = numbered([attempt("a", "succeeded"), attempt("b", "running")]);
    expect(decide(snap({ attempts: [a, b] }))).toMatchObject({ kind: "succeed", attemptId: a.id, recovered: true, losers: [b.id] });
  });
});

describe("decide: timeout", () => {
  it("times the run out at its deadline and cancels what is live", () => {
    const a = attempt("a", "submitted", { observed: { state: "queued" } });
    expect(decide(snap({ attempts: [a], now: T0 + policy.timeoutMs }))).toEqual({
      kind: "timeout",
      cancel: [a.id],
      error: { code: "timed_out", message: "The run did not finish within the deployment's timeout of 600 s; it was cancelled at the provider." },
    });
  });
  it("says no_target when the run never found an enabled target", () => {
    const s = snap({ now: T0 + policy.timeoutMs, run: { status: "queued", createdAt: T0, progress: { waitingFor: "enabled_target" } }, targets: [target("gpu-1", 0, { disabled: true })] });
    expect(decide(s)).toMatchObject({ kind: "timeout", cancel: [], error: { code: "no_target", message: expect.stringContaining('("gpu-1" drained)') } });
  });
  it("a run that already timed out stops its attempts as timed_out", () => {
    const a = attempt("a", "running");
    expect(decide(snap({ run: { status: "timed_out", createdAt: T0, progress: null }, attempts: [a] }))).toMatchObject({ kind: "cancel", as: { status: "timed_out" }, then: "stop" });
  });
});
