// Public surface of the provider layer: the registry, the interface types, live ComfyUI progress.
export { getProvider, providerKinds } from "./registry";
export { subscribeProgress, progressHub, type ProgressEvent } from "./progress-hub";
export { sanitizeFilename } from "./outputs";
export * from "./types";
