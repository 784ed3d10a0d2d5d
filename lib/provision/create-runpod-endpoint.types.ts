import { z } from "zod";

/** What RunPod's REST API v1 takes for a serverless template and endpoint (PROTOCOLS.md §5). */
export const CreateRunpodEndpointInput = z.strictObject({
  name: z.string().min(1).max(100),
  /** The worker image, e.g. docker.io/acme/flowgate-portrait:v3 (built from the recipe). */
  image: z.string().regex(/^[a-z0-9][a-z0-9._\/:@-]{2,250}$/, "image must be a Docker image reference"),
  /** The user's RunPod API key: used for the management calls, stored encrypted as the endpoint's secret. */
  apiKey: z.string().min(8).max(4096),
  gpuTypeIds: z.array(z.string().regex(/^[A-Za-z0-9_ -]{2,60}$/)).min(1).max(10),
  gpuCount: z.number().int().min(1).max(8).default(1),
  workersMin: z.number().int().min(0).max(100).default(0),
  workersMax: z.number().int().min(1).max(100).default(3),
  idleTimeout: z.number().int().min(1).max(3600).default(5),
  flashboot: z.boolean().default(true),
  networkVolumeId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/).optional(),
  executionTimeoutMs: z.number().int().min(10_000).max(24 * 3_600_000).default(600_000),
  containerDiskInGb: z.number().int().min(5).max(500).default(20),
  /** RunPod's REST API root (default FLOWGATE_RUNPOD_REST_URL, else https://rest.runpod.io/v1) and serverless API root (default FLOWGATE_RUNPOD_API_URL, else https://api.runpod.ai). */
  restUrl: z.url({ protocol: /^https?$/ }).optional(),
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Price per hour of the first GPU type, for run costs (optional). */
  pricePerHourUsd: z.number().min(0).max(1000).optional(),
  /** How long the closing test run (EmptyImage → SaveImage) may take before it is cancelled and the step fails. */
  testRunTimeoutSeconds: z.number().int().min(5).max(300).default(60),
});
export type CreateRunpodEndpointInput = z.input<typeof CreateRunpodEndpointInput>;

export const ProvisionStepSchema = z.object({ step: z.string(), ok: z.boolean(), ms: z.int(), detail: z.string() });

export const CreateRunpodEndpointResultSchema = z.object({
  ok: z.boolean(),
  endpointId: z.string().nullable(),
  runpodEndpointId: z.string().nullable(),
  templateId: z.string().nullable(),
  /** The audit row of the closing test run (`endpoint.test_run`), when it ran. */
  testAuditId: z.string().nullable(),
  /** template, endpoint, register, workers, then health, preflight, test_run; a failed step ends the sequence. */
  steps: z.array(ProvisionStepSchema),
});
export type CreateRunpodEndpointResult = z.output<typeof CreateRunpodEndpointResultSchema>;
