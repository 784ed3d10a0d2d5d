// Endpoint input shapes, one per provider, reused by the API, the dashboard and OpenAPI.
import { z } from "zod";

const Headers = z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string().max(4096));

const Tuning = {
  /** Per-call HTTP timeout (never a limit on the run itself). */
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
  maxOutputBytes: z.number().int().min(1024).optional(),
};

export const ComfyuiConfig = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/ }),
  headers: Headers.optional(),
  /** Operator-supplied restart hook (e.g. a pod-restart API), POSTed by "Restart". */
  restartUrl: z.url({ protocol: /^https?$/ }).optional(),
  ...Tuning,
});
export const RunpodConfig = z.strictObject({
  endpointId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "a RunPod endpoint id like 'abc123xyz'"),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** RunPod management API root; needed for "Restart" (cycles workersMax). */
  managementUrl: z.url({ protocol: /^https?$/ }).optional(),
  maxPayloadBytes: z.number().int().min(1024).optional(),
  executionTimeoutMs: z.number().int().min(1000).optional(),
  /** The scaling knobs last set through Flowgate (provisioning, PATCH /api/v1/provision/runpod-endpoints/{id}). */
  scaling: z
    .strictObject({ workersMin: z.number().int().min(0).optional(), workersMax: z.number().int().min(0).optional(), idleTimeout: z.number().int().min(1).optional(), flashboot: z.boolean().optional() })
    .optional(),
  ...Tuning,
});
export const RuncomfyConfig = z.strictObject({
  deploymentId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The RunComfy deployment stores the workflow: send only `overrides` from the slots. */
  storedWorkflow: z.boolean().optional(),
  maxPayloadBytes: z.number().int().min(1024).optional(),
  ...Tuning,
});

export const PROVIDER_CONFIGS = { comfyui: ComfyuiConfig, runpod: RunpodConfig, runcomfy: RuncomfyConfig } as const;
export type ProviderName = keyof typeof PROVIDER_CONFIGS;

export const CreateEndpointInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  provider: z.enum(["comfyui", "runpod", "runcomfy"]),
  config: z.record(z.string(), z.unknown()),
  secret: z.string().min(1).max(4096).optional(),
  gpu: z.string().trim().max(80).optional(),
  pricePerHourUsd: z.number().min(0).max(1000).optional(),
});
export type CreateEndpointInput = z.infer<typeof CreateEndpointInput>;

/** The body of `PATCH /api/v1/endpoints/{id}` (updateEndpoint's `changes`). */
export const UpdateEndpointBody = CreateEndpointInput.omit({ provider: true }).partial().extend({
  secret: z.string().max(4096).nullable().optional(),
});
