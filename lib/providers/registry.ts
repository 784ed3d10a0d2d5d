// Provider registry: the run engine asks for an adapter by the endpoint's provider kind.
import { comfyuiProvider } from "./comfyui";
import { runcomfyProvider } from "./runcomfy";
import { runpodProvider } from "./runpod";
import { ProviderError, type Provider, type ProviderKind } from "./types";

const providers: Record<ProviderKind, Provider> = {
  comfyui: comfyuiProvider,
  runpod: runpodProvider,
  runcomfy: runcomfyProvider,
};

export const providerKinds = Object.keys(providers) as ProviderKind[];

export function getProvider(kind: string): Provider {
  const p = (providers as Record<string, Provider>)[kind];
  if (!p) throw new ProviderError("final", "unknown_provider", `unknown provider "${kind}" (known: ${providerKinds.join(", ")})`);
  return p;
}

export { subscribeProgress, type ProgressEvent } from "./progress-hub";
export { ProviderError } from "./types";
