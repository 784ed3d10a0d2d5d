import type { Endpoint, EndpointHealth } from "../api";

export function latestHealth(ep: Endpoint): EndpointHealth | null {
  return ep.health ?? null;
}

/** One word for the endpoint's state, as StatusBadge understands it. */
export function healthStatus(ep: Endpoint): "healthy" | "unhealthy" | "unknown" | "disabled" {
  if (ep.disabled) return "disabled";
  const h = latestHealth(ep);
  if (!h) return "unknown";
  return h.ok ? "healthy" : "unhealthy";
}

type Workers = { idle: number; running: number; initializing: number; unhealthy: number };
/** Queue depth and workers: top-level on a health answer, under `details` on a stored check. */
export function healthLoad(h: EndpointHealth | null | undefined): { queueDepth: number | null; workers: Workers | null } {
  if (!h) return { queueDepth: null, workers: null };
  const src = ("fresh" in h ? h : (h.details ?? {})) as { queueDepth?: unknown; workers?: unknown };
  return { queueDepth: typeof src.queueDepth === "number" ? src.queueDepth : null, workers: src.workers && typeof src.workers === "object" ? (src.workers as Workers) : null };
}

/** Why a failed check failed (the API sends it as `message`). */
export function healthError(h: EndpointHealth | null | undefined): string | null {
  return h && h.ok === false ? (h.message ?? null) : null;
}

export const providerLabel: Record<string, string> = {
  comfyui: "ComfyUI server",
  runpod: "RunPod Serverless",
  runcomfy: "RunComfy Serverless",
};
