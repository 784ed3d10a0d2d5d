// The sandbox's public option and handle types: a leaf module, so the provider personalities
// (runpod/server, runcomfy/server) share them with index.ts without importing it.
import type { Faults } from "./faults";
import type { ObjectInfoMap } from "./comfy/validate";

export type SandboxProvider = "comfyui" | "runpod" | "runcomfy";

export interface SandboxOptions extends Partial<Faults> {
  port?: number;
  host?: string;
  provider?: SandboxProvider;
  /** Node definitions: an object, or a path to an /object_info JSON dump. Default: the bundled real dump. */
  objectInfo?: ObjectInfoMap | string;
  /** Seed for fault-injection randomness. */
  seed?: number;
  /** runpod / runcomfy: the Bearer secret to require (default: any non-empty). */
  apiKey?: string;
  /** runpod: worker-comfyui output shape (5.x base64, 5.x with a bucket = URLs, or pre-5.0 `message`). */
  outputShape?: "v5" | "s3" | "legacy";
  /** runpod: number of simulated workers. */
  workers?: number;
  /** runcomfy: the workflow the deployment stores (for `overrides` requests). */
  deploymentWorkflow?: Record<string, unknown> | string;
  log?: (line: string) => void;
  /**
   * runpod (`s3` shape) / runcomfy: a hostile backend. Every output URL it returns is this URL (e.g.
   * an internal service on loopback) instead of its own hosted file.
   */
  hostileOutputUrl?: string;
  /** runpod (`s3` shape) / runcomfy: its hosted output files answer a 302 redirect to this URL. */
  outputRedirect?: string;
  /** runpod: an endpoint created through the management API (`POST /v1/endpoints`) answers `/run` once its image is "built", this long after creation (default 0). */
  buildMs?: number;
  /** runpod: the image of endpoints created through the management API never builds (their workers stay unhealthy). */
  buildFails?: boolean;
  /**
   * runpod billing (`GET /v1/billing/endpoints`): the GPU price per hour each endpoint's jobs are billed
   * at — one number for every endpoint, or per RunPod endpoint id (others: 0). Default 0.
   */
  billingPricePerHourUsd?: number | Record<string, number>;
  /** runpod billing: seconds RunPod keeps (and bills) a worker after each job, its "idle timeout" (default 0). */
  billingIdleTimeoutS?: number;
}

export interface SandboxHandle {
  url: string;
  port: number;
  provider: SandboxProvider;
  faults: Faults;
  setFaults(partial: Partial<Faults>): void;
  close(): Promise<void>;
}
