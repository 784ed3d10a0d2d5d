// The one place cost is computed. A run costs the sum of its attempts (failed and hedged attempts
// cost money too). Billed seconds follow the provider: serverless bills cold start + execution;
// a dedicated ComfyUI server bills execution only (its idle time is shown as utilisation instead).
export interface AttemptTiming {
  provider: string;
  coldStartMs?: number | null;
  executionMs?: number | null;
}

export function billedSeconds(a: AttemptTiming): number {
  const exec = Math.max(0, a.executionMs ?? 0);
  const cold = a.provider === "comfyui" ? 0 : Math.max(0, a.coldStartMs ?? 0);
  return (exec + cold) / 1000;
}

export function attemptCostUsd(a: AttemptTiming, pricePerHourUsd: number | null | undefined): number {
  if (!pricePerHourUsd) return 0;
  return Math.round(((billedSeconds(a) * pricePerHourUsd) / 3600) * 1e6) / 1e6;
}
