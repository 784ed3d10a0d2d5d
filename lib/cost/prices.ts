// Default prices per GPU-hour by provider and GPU, each with where it was read and when. Used to
// suggest a price for a new endpoint (the price stays editable per endpoint, and each attempt keeps
// the price it ran at). Providers change prices: check the source before relying on a default.
export interface DefaultPrice {
  provider: "runpod" | "runcomfy" | "comfyui";
  gpu: string;
  pricePerHourUsd: number;
  /** How the provider bills this price. */
  unit: "per-second (flex worker)" | "per-second (instance)" | "hourly (pod)";
  source: string;
  readOn: string;
}

const RUNPOD_SERVERLESS = "https://docs.runpod.io/serverless/pricing";
const RUNCOMFY = "https://docs.runcomfy.com/about-billing";
const RUNPOD_PODS = "https://www.runpod.io/pricing";

// RunPod Serverless lists flex prices per second; × 3600 here.
const rp = (gpu: string, perSecond: number): DefaultPrice => ({
  provider: "runpod",
  gpu,
  pricePerHourUsd: Math.round(perSecond * 3600 * 10000) / 10000,
  unit: "per-second (flex worker)",
  source: RUNPOD_SERVERLESS,
  readOn: "2026-12-01",
});
const rc = (gpu: string, perHour: number): DefaultPrice => ({ provider: "runcomfy", gpu, pricePerHourUsd: perHour, unit: "per-second (instance)", source: RUNCOMFY, readOn: "2026-12-01" });
const pod = (gpu: string, perHour: number): DefaultPrice => ({ provider: "comfyui", gpu, pricePerHourUsd: perHour, unit: "hourly (pod)", source: RUNPOD_PODS, readOn: "2026-11-09" });

export const DEFAULT_PRICES: DefaultPrice[] = [
  rp("RTX A4000 16GB", 0.00016),
  rp("RTX 4090 24GB", 0.00031),
  rp("L4 / A5000 / RTX 3090 24GB", 0.00019),
  rp("L40S 48GB", 0.00053),
  rp("A6000 / A40 48GB", 0.00034),
  rp("A100 80GB", 0.00076),
  rp("H100 80GB", 0.00116),
  rp("H200 141GB", 0.00155),
  rc("T4 / A4000 16GB (Medium)", 0.99),
  rc("A10G / A5000 24GB (Large)", 1.75),
  rc("A6000 48GB (X-Large)", 2.5),
  rc("L40S 48GB (X-Large Plus)", 2.99),
  rc("A100 80GB (2X-Large)", 4.99),
  rc("H100 80GB (2X-Large Plus)", 7.49),
  // A self-hosted ComfyUI server rented as a RunPod pod (Secure Cloud / Community Cloud).
  pod("H100 SXM 80GB (RunPod Secure)", 3.99),
  pod("H100 SXM 80GB (RunPod Community)", 2.69),
  pod("A100 80GB (RunPod Secure)", 1.79),
  pod("A100 80GB (RunPod Community)", 1.19),
];

/** The default price for a provider and GPU name (case-insensitive substring match), if any. */
export function defaultPrice(provider: string, gpu: string | null | undefined): DefaultPrice | null {
  if (!gpu) return null;
  const g = gpu.toLowerCase().replace(/\s+/g, " ");
  return DEFAULT_PRICES.find((p) => p.provider === provider && p.gpu.toLowerCase().includes(g)) ?? null;
}
