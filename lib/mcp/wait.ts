// Bounded waiting for a run, for MCP tools: the runs verb's waitForRun (terminal, timeout or the
// client going away; `onChange` with each new state, which the tools turn into MCP progress
// notifications), capped so no MCP call outlives a hosted gateway's timeout.
import { waitForRun, type WaitOptions } from "@/lib/runs/get-run";
import type { Run } from "@/lib/runs/schemas";

/** No MCP call holds longer than this (hosted gateways cut requests at 60 s). */
export const MAX_WAIT_SECONDS = 45;
export const DEFAULT_WAIT_SECONDS = 20;

export function waitForRunChanges(runId: string, seconds: number, opts: Omit<WaitOptions, "pollMs"> = {}): Promise<Run> {
  return waitForRun(runId, Math.min(Math.max(seconds, 0), MAX_WAIT_SECONDS), { ...opts, pollMs: 1000 });
}
