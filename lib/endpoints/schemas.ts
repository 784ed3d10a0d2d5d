// Endpoint input shapes, one per provider, reused by the API, the dashboard and OpenAPI.
import { z } from "zod";

const Headers = z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string().max(4096));

export const ComfyuiConfig = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/ }),
  headers: Headers.optional(),
  restartUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export const RunpodConfig = z.strictObject({
  endpointId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "a RunPod endpoint id like 'abc123xyz'"),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  managementUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export const RuncomfyConfig = z.strictObject({
  deploymentId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  useOverrides: z.boolean().optional(),
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

export const UpdateEndpointInput = CreateEndpointInput.omit({ provider: true }).partial().extend({
  secret: z.string().max(4096).nullable().optional(),
});
