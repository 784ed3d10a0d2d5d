// The one interface every GPU backend implements. The run engine only ever talks to this,
// and only reads the error class (retryable / lost / final) that the adapter decided.

export type ProviderKind = "comfyui" | "runpod" | "runcomfy";

/** Endpoint as the adapter sees it: decrypted secret, provider-specific config. */
export interface EndpointTarget {
  id: string;
  provider: ProviderKind | string;
  /** comfyui: {baseUrl, headers?, restartUrl?}; runpod: {endpointId, baseUrl?}; runcomfy: {deploymentId, baseUrl?} */
  config: Record<string, unknown>;
  /** API key / token, decrypted, never logged. */
  secret?: string | null;
}

/** API-format ComfyUI graph: node id -> { class_type, inputs }. */
export type ApiPrompt = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }>;

export interface InputImage {
  /** Name the prompt references (already unique per run, sanitised). */
  name: string;
  data: Buffer;
  contentType?: string;
}

export interface SubmitJob {
  runId: string;
  attemptId: string;
  prompt: ApiPrompt;
  images: InputImage[];
  /** Where the provider should call back (RunPod / RunComfy), already authenticated by a token in the URL. */
  webhookUrl?: string;
  /** This attempt may already have reached the provider (a worker died mid-submit): look before sending. */
  resume?: boolean;
}

export interface ProviderProgress {
  value: number;
  max: number;
  nodeId?: string | null;
  /** Overall fraction 0..1 across all sampler nodes, when known. */
  fraction?: number;
  queuePosition?: number | null;
}

/** A finished output, bytes fetched (or a URL to fetch) — the engine copies it to storage. */
export interface ProviderOutput {
  nodeId: string;
  filename: string;
  contentType: string;
  kind: "image" | "video" | "audio" | "text" | "file";
  /** Either bytes, or a URL the engine downloads (with `headers`). */
  data?: Buffer;
  url?: string;
  headers?: Record<string, string>;
}

export type ProviderStatus =
  | { state: "queued"; queuePosition?: number | null; stuck?: boolean }
  | { state: "running"; progress?: ProviderProgress; coldStartMs?: number }
  | { state: "succeeded"; outputs: ProviderOutput[]; executionMs?: number; queueMs?: number; coldStartMs?: number }
  | { state: "failed"; error: ProviderError }
  | { state: "canceled" };

export interface HealthReport {
  ok: boolean;
  latencyMs: number;
  message?: string;
  queueDepth?: number;
  workers?: { idle: number; running: number; initializing: number; unhealthy: number };
  details?: Record<string, unknown>;
}

export interface Capabilities {
  progress: boolean;
  cancel: boolean;
  restart: boolean;
  purgeQueue: boolean;
  objectInfo: boolean;
  /** Provider honours our own job id, so a resubmit after a crash is not a duplicate. */
  idempotentSubmit: boolean;
}

/** One bucket of what a provider billed for an endpoint (its own answer, validated). */
export interface BillingBucket {
  bucketStart: Date;
  bucketEnd: Date;
  amountUsd: number;
  /** The provider's record(s) for this bucket, as received (bounded). */
  raw: Record<string, unknown>[];
}

export type BillingBucketSize = "hour" | "day";

export interface Provider {
  kind: ProviderKind | string;
  capabilities(ep: EndpointTarget): Capabilities;
  /** Node definitions (ComfyUI /object_info shape) for pre-flight checks and UI conversion. */
  nodeDefinitions?(ep: EndpointTarget, opts?: { signal?: AbortSignal }): Promise<Record<string, unknown>>;
  submit(ep: EndpointTarget, job: SubmitJob, opts?: { signal?: AbortSignal }): Promise<{ providerJobId: string }>;
  status(ep: EndpointTarget, providerJobId: string, opts?: { signal?: AbortSignal }): Promise<ProviderStatus>;
  cancel(ep: EndpointTarget, providerJobId: string): Promise<void>;
  /** `timeoutMs`: per call (default: the endpoint's timeout, at most 10 s); a re-check widens it. */
  health(ep: EndpointTarget, opts?: { timeoutMs?: number }): Promise<HealthReport>;
  restart?(ep: EndpointTarget): Promise<{ message: string }>;
  purgeQueue?(ep: EndpointTarget): Promise<{ removed?: number; message: string }>;
  /** What the provider billed for this endpoint per time bucket in [from, to) (RunPod serverless only). */
  fetchBilling?(ep: EndpointTarget, q: { from: Date; to: Date; bucketSize: BillingBucketSize }, opts?: { signal?: AbortSignal }): Promise<BillingBucket[]>;
}

export type ProviderErrorClass = "retryable" | "lost" | "final";

/** The only error type adapters throw or report. The class is decided here, once. */
export class ProviderError extends Error {
  readonly errorClass: ProviderErrorClass;
  readonly code: string;
  readonly nodeId?: string;
  readonly details?: Record<string, unknown>;
  constructor(
    errorClass: ProviderErrorClass,
    code: string,
    message: string,
    opts: { nodeId?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "ProviderError";
    this.errorClass = errorClass;
    this.code = code;
    this.nodeId = opts.nodeId;
    this.details = opts.details;
  }
  toJSON() {
    return { class: this.errorClass, code: this.code, message: this.message, nodeId: this.nodeId, details: this.details };
  }
}
