// Provider registry: the run engine asks for an adapter by the endpoint's provider kind.
import { comfyuiProvider } from "./comfyui";
import { ProviderError, type Provider } from "./types";

const providers: Record<string, Provider> = {
  comfyui: comfyuiProvider,
};

export const providerKinds = Object.keys(providers) as readonly string[];

export function getProvider(kind: string): Provider {
  const p = providers[kind];
  if (!p) throw new ProviderError("final", "unknown_provider", `unknown provider "${kind}" (known: ${Object.keys(providers).join(", ")})`);
  return p;
}
