// The on-call thresholds. Defaults now (FLOWGATE_STUCK_AFTER_S overrides the stuck threshold).
import type { VerbArgs } from "@/lib/context";

export interface AlertSettings {
  /** a live run with no event for this long is "stuck" */
  stuckAfterSeconds: number;
}

export async function getAlertSettings(_args: VerbArgs<Record<string, never>>): Promise<AlertSettings> {
  const env = Number(process.env.FLOWGATE_STUCK_AFTER_S);
  return { stuckAfterSeconds: Number.isInteger(env) && env >= 5 ? env : 120 };
}
