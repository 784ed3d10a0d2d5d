// Crash points on the engine's path: a test installs a hook that throws `SimulatedCrash` at one of
// them to stand for the process dying there. The engine then stops driving the run without releasing
// its lease (a dead process releases nothing); the lease expires and another worker resumes the run.
// With no hook installed (production) a crash point is a no-op.

export const CRASH_POINTS = [
  "attempt.recorded", // the attempt row exists, nothing sent to the provider
  "attempt.sent", // the provider accepted the job, the submit is not recorded
  "attempt.submitted", // the submit is recorded
  "attempt.running", // the provider reported it running, and that is recorded
  "outputs.stored", // the outputs are in storage, nothing about them is in the database
  "run.succeeded.uncommitted", // inside the success transaction, every write done, before COMMIT
  "run.succeeded", // after the success transaction committed
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export class SimulatedCrash extends Error {
  constructor(readonly point: CrashPoint) {
    super(`simulated crash at ${point}`);
  }
}

type Hook = (point: CrashPoint, runId: string) => void;
let hook: Hook | null = null;

/** Install (or remove, with null) the crash hook. Tests only. */
export function setCrashHook(fn: Hook | null) {
  hook = fn;
}

export function crashPoint(point: CrashPoint, runId: string) {
  hook?.(point, runId);
}
