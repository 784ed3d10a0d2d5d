// Cost preview before deploy: what a run of a workflow is expected to cost on each candidate GPU,
// per run and per 1,000 runs, and what keeping warm workers (workersMin > 0) costs per day. From the
// execution times of earlier runs of the same workflow when there are some (`basis: "measured"` on the
// same GPU, `"scaled"` from another GPU by relative speed), else clearly labelled estimates. Prices and
// relative speeds are list figures to be checked against the provider's page; billed time follows
// lib/cost (execution, plus cold start on serverless).
import { attemptCostUsd } from "./index";

export interface GpuCandidate {
  provider: "runpod";
  /** RunPod GPU type id / pool, as the REST API takes it. */
  gpuTypeId: string;
  label: string;
  vramGb: number;
  /** Serverless flex price, USD per hour (RunPod bills per second). */
  pricePerHourUsd: number;
  /** Throughput relative to an RTX 4090 on diffusion workloads (estimate). */
  relativeSpeed: number;
}

/** RunPod serverless flex list prices (USD/h, from its pricing page; check before relying on them). */
export const RUNPOD_GPUS: GpuCandidate[] = [
  { provider: "runpod", gpuTypeId: "AMPERE_16", label: "RTX A4000 / A4500 16 GB", vramGb: 16, pricePerHourUsd: 0.58, relativeSpeed: 0.4 },
  { provider: "runpod", gpuTypeId: "AMPERE_24", label: "RTX A5000 / L4 24 GB", vramGb: 24, pricePerHourUsd: 0.68, relativeSpeed: 0.5 },
  { provider: "runpod", gpuTypeId: "ADA_24", label: "RTX 4090 24 GB", vramGb: 24, pricePerHourUsd: 1.1, relativeSpeed: 1 },
  { provider: "runpod", gpuTypeId: "AMPERE_48", label: "RTX A6000 / A40 48 GB", vramGb: 48, pricePerHourUsd: 1.22, relativeSpeed: 0.7 },
  { provider: "runpod", gpuTypeId: "ADA_48_PRO", label: "L40S / RTX 6000 Ada 48 GB", vramGb: 48, pricePerHourUsd: 1.9, relativeSpeed: 1.1 },
  { provider: "runpod", gpuTypeId: "AMPERE_80", label: "A100 80 GB", vramGb: 80, pricePerHourUsd: 2.72, relativeSpeed: 1.3 },
  { provider: "runpod", gpuTypeId: "ADA_80_PRO", label: "H100 80 GB", vramGb: 80, pricePerHourUsd: 4.18, relativeSpeed: 2 },
];

/** Seconds a run takes on an RTX 4090 when nothing was measured (a 1-megapixel image, ~20 steps). */
export const ESTIMATED_SECONDS_4090 = 12;

export interface MeasuredAttempt {
  provider: string;
  /** The endpoint's GPU as registered (free text, e.g. "RTX 4090", "ADA_24"). */
  gpu: string | null;
  executionMs: number;
  coldStartMs?: number | null;
}

export interface CostLine {
  provider: string;
  gpuTypeId: string;
  label: string;
  pricePerHourUsd: number;
  secondsPerRun: number;
  costPerRunUsd: number;
  costPer1000Usd: number;
  basis: "measured" | "scaled" | "estimate";
  /** How the time was obtained, for the label shown next to the number. */
  note: string;
  samples: number;
}

export interface CostPreview {
  lines: CostLine[];
  /** Per candidate GPU: what workersMin always-on workers cost per day (idle or not). */
  idlePerDay: { gpuTypeId: string; workersMin: number; usdPerDay: number }[];
  measuredRuns: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Which candidate a registered GPU name means ("RTX 4090", "NVIDIA GeForce RTX 4090", "ADA_24", "H100 SXM"…). */
export function matchGpu(name: string | null, candidates: GpuCandidate[] = RUNPOD_GPUS): GpuCandidate | undefined {
  if (!name) return undefined;
  const n = name.toUpperCase().replace(/\s+/g, " ");
  const byId = candidates.find((c) => c.gpuTypeId === n.replace(/ /g, "_"));
  if (byId) return byId;
  const rules: [RegExp, string][] = [
    [/4090/, "ADA_24"],
    [/H100|H200/, "ADA_80_PRO"],
    [/A100/, "AMPERE_80"],
    [/L40S|6000 ADA/, "ADA_48_PRO"],
    [/A6000|A40\b/, "AMPERE_48"],
    [/A5000|\bL4\b|3090/, "AMPERE_24"],
    [/A4000|A4500|4000 ADA/, "AMPERE_16"],
  ];
  const hit = rules.find(([re]) => re.test(n));
  return hit ? candidates.find((c) => c.gpuTypeId === hit[1]) : undefined;
}

export function previewCost(measured: MeasuredAttempt[], opts: { workersMin?: number; candidates?: GpuCandidate[] } = {}): CostPreview {
  const candidates = opts.candidates ?? RUNPOD_GPUS;
  const byGpu = new Map<string, MeasuredAttempt[]>();
  for (const m of measured) {
    const g = matchGpu(m.gpu, candidates);
    if (!g || !(m.executionMs > 0)) continue;
    const l = byGpu.get(g.gpuTypeId);
    if (l) l.push(m);
    else byGpu.set(g.gpuTypeId, [m]);
  }
  // The reference for scaling: the GPU with the most samples.
  const ref = [...byGpu.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  const refGpu = ref ? candidates.find((c) => c.gpuTypeId === ref[0])! : undefined;
  const refSeconds = ref ? median(ref[1].map((m) => m.executionMs)) / 1000 : undefined;
  const lines = candidates.map((c): CostLine => {
    const own = byGpu.get(c.gpuTypeId);
    let seconds: number;
    let basis: CostLine["basis"];
    let note: string;
    let cold = 0;
    if (own && own.length > 0) {
      seconds = median(own.map((m) => m.executionMs)) / 1000;
      cold = median(own.map((m) => Math.max(0, m.coldStartMs ?? 0))) / 1000;
      basis = "measured";
      note = `median of ${own.length} run${own.length === 1 ? "" : "s"} on this GPU`;
    } else if (refGpu && refSeconds !== undefined) {
      seconds = (refSeconds * refGpu.relativeSpeed) / c.relativeSpeed;
      basis = "scaled";
      note = `scaled from ${ref![1].length} run${ref![1].length === 1 ? "" : "s"} on ${refGpu.label} by relative speed (estimate)`;
    } else {
      seconds = ESTIMATED_SECONDS_4090 / c.relativeSpeed;
      basis = "estimate";
      note = `estimate: no runs of this workflow yet (${ESTIMATED_SECONDS_4090} s on an RTX 4090 assumed)`;
    }
    const perRun = attemptCostUsd({ provider: c.provider, executionMs: seconds * 1000, coldStartMs: cold * 1000 }, c.pricePerHourUsd);
    return {
      provider: c.provider,
      gpuTypeId: c.gpuTypeId,
      label: c.label,
      pricePerHourUsd: c.pricePerHourUsd,
      secondsPerRun: Math.round((seconds + cold) * 100) / 100,
      costPerRunUsd: perRun,
      costPer1000Usd: Math.round(perRun * 1000 * 100) / 100,
      basis,
      note,
      samples: own?.length ?? 0,
    };
  });
  const workersMin = Math.max(0, Math.floor(opts.workersMin ?? 0));
  return {
    lines,
    idlePerDay: candidates.map((c) => ({ gpuTypeId: c.gpuTypeId, workersMin, usdPerDay: Math.round(workersMin * c.pricePerHourUsd * 24 * 100) / 100 })),
    measuredRuns: measured.length,
  };
}
