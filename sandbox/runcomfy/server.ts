import type { SandboxHandle, SandboxOptions } from "../index";
import type { Faults } from "../faults";
import type { ObjectInfoMap } from "../comfy/validate";

export async function startRuncomfySandbox(_opts: SandboxOptions & { host: string; faults: Faults; rng: () => number; objectInfo: ObjectInfoMap }): Promise<SandboxHandle> {
  throw new Error("the runcomfy personality is not implemented yet");
}
