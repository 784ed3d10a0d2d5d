import type { Endpoint, EndpointHealth } from "../api";

export function latestHealth(ep: Endpoint): EndpointHealth | null {
  return ep.health ?? ep.latestHealth ?? null;
}

/** One word for the endpoint's state, as StatusBadge understands it. */
export function healthStatus(ep: Endpoint): "healthy" | "unhealthy" | "unknown" | "disabled" {
  if (ep.disabled || ep.enabled === false || ep.status === "disabled") return "disabled";
  const h = latestHealth(ep);
  if (!h) return ep.status === "healthy" || ep.status === "unhealthy" ? ep.status : "unknown";
  return h.ok ? "healthy" : "unhealthy";
}

export function healthError(h: EndpointHealth | null | undefined): string | null {
  if (!h?.error) return null;
  return typeof h.error === "string" ? h.error : (h.error.message ?? h.error.code ?? null);
}

export const providerLabel: Record<string, string> = {
  comfyui: "ComfyUI server",
  runpod: "RunPod Serverless",
  runcomfy: "RunComfy Serverless",
};
