// The run state machine: statuses only move forward; terminal statuses never change again.
// The one place run statuses are spelled out (pure: the dashboard, CLI and benches import it too).
/** Statuses of a run still in flight: accepted, not yet ended. */
export const LIVE_STATUSES = ["queued", "dispatching", "submitted", "running"] as const;
/** Statuses a run ends in; a run in one never changes again. */
export const TERMINAL_STATUSES = ["succeeded", "failed", "canceled", "timed_out"] as const;
export const RUN_STATUSES = [...LIVE_STATUSES, ...TERMINAL_STATUSES] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export const TERMINAL: ReadonlySet<RunStatus> = new Set(TERMINAL_STATUSES);
const RANK: Record<RunStatus, number> = { queued: 0, dispatching: 1, submitted: 2, running: 3, succeeded: 9, failed: 9, canceled: 9, timed_out: 9 };

export const isTerminal = (s: string) => TERMINAL.has(s as RunStatus);

/** Statuses a run may be in for a move to `to` to be allowed. */
export function allowedFrom(to: RunStatus): RunStatus[] {
  return RUN_STATUSES.filter((s) => !TERMINAL.has(s) && RANK[s] <= RANK[to] && s !== to).concat(
    // staying in a non-terminal status (e.g. running → running with new progress) is a no-op update
    TERMINAL.has(to) ? [] : [to],
  );
}
