// startSandbox: the local ComfyUI look-alike (default) or its RunPod / RunComfy personalities,
// in-process, on 127.0.0.1. Used by `npm run sandbox`, the dev script and the contract tests.
import fs from "node:fs";
import { defaultFaults, type Faults } from "./faults";
import { seededRandom } from "./util";
import { ComfyServer } from "./comfy/server";
import { bundledObjectInfo, type ObjectInfoMap } from "./comfy/validate";

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
}

export interface SandboxHandle {
  url: string;
  port: number;
  provider: SandboxProvider;
  faults: Faults;
  setFaults(partial: Partial<Faults>): void;
  close(): Promise<void>;
}

export async function loadObjectInfo(src?: ObjectInfoMap | string): Promise<ObjectInfoMap> {
  if (!src) return bundledObjectInfo();
  if (typeof src === "string") return JSON.parse(fs.readFileSync(src, "utf8"));
  return src;
}

export function pickFaults(opts: Partial<Faults>): Faults {
  const faults = { ...defaultFaults };
  for (const k of Object.keys(defaultFaults) as (keyof Faults)[]) {
    if (opts[k] !== undefined) (faults as any)[k] = opts[k];
  }
  return faults;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const provider = opts.provider ?? "comfyui";
  const host = opts.host ?? "127.0.0.1";
  const faults = pickFaults(opts);
  const rng = seededRandom(opts.seed ?? 1);
  const objectInfo = await loadObjectInfo(opts.objectInfo);
  if (provider === "runpod") {
    const { startRunpodSandbox } = await import("./runpod/server");
    return startRunpodSandbox({ ...opts, host, faults, rng, objectInfo });
  }
  if (provider === "runcomfy") {
    const { startRuncomfySandbox } = await import("./runcomfy/server");
    return startRuncomfySandbox({ ...opts, host, faults, rng, objectInfo });
  }
  const server = new ComfyServer({ host, objectInfo, faults, rng, log: opts.log });
  const port = await server.listen(opts.port ?? 0);
  return {
    url: `http://${host}:${port}`,
    port,
    provider,
    faults,
    setFaults: (partial) => server.setFaults(partial),
    close: () => server.close(),
  };
}
