// startSandbox: the local ComfyUI look-alike (default) or its RunPod / RunComfy personalities,
// in-process, on 127.0.0.1. Used by `npm run sandbox`, the dev script and the contract tests.
import fs from "node:fs";
import { defaultFaults, type Faults } from "./faults";
import { seededRandom } from "./util";
import { ComfyServer } from "./comfy/server";
import { bundledObjectInfo, type ObjectInfoMap } from "./comfy/validate";
import type { SandboxHandle, SandboxOptions } from "./types";

export type { SandboxHandle, SandboxOptions, SandboxProvider } from "./types";

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
