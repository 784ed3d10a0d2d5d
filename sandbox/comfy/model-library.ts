// The sandbox pretends to be a ComfyUI server with a well-stocked models folder: unless started
// with --strict-models, every model combo in its /object_info also lists the files in
// model-library.json (the model files ComfyUI's own example workflows use). With --strict-models
// it reports exactly the lists of the real dump, like a stock server, and pre-flight refuses
// workflows that need anything else.
import library from "./model-library.json" with { type: "json" };

const MODEL_EXT = /\.(safetensors|ckpt|pt|pth|bin|gguf|sft|onnx|pt2)$/i;
const MODEL_INPUT = /(_name|ckpt|model|lora|vae|clip|unet|controlnet|upscale|style|gligen|embedding)/i;

function isModelCombo(name: string, spec: unknown): spec is [string[], ...unknown[]] {
  if (!Array.isArray(spec) || !Array.isArray(spec[0])) return false;
  const options = spec[0] as unknown[];
  if (options.some((o) => typeof o === "string" && MODEL_EXT.test(o))) return true;
  return options.length === 0 && MODEL_INPUT.test(name);
}

export function withModelLibrary<T extends Record<string, any>>(objectInfo: T): T {
  const out: Record<string, any> = {};
  for (const [cls, def] of Object.entries(objectInfo)) {
    const input = def?.input;
    if (!input) {
      out[cls] = def;
      continue;
    }
    let changed = false;
    const sections: Record<string, any> = {};
    for (const section of ["required", "optional"] as const) {
      const s = input[section];
      if (!s) continue;
      sections[section] = {};
      for (const [name, spec] of Object.entries(s)) {
        if (isModelCombo(name, spec)) {
          const merged = [...new Set([...(spec[0] as string[]), ...(library as string[])])].sort();
          sections[section][name] = [merged, ...spec.slice(1)];
          changed = true;
        } else sections[section][name] = spec;
      }
    }
    out[cls] = changed ? { ...def, input: { ...input, ...sections } } : def;
  }
  return out as T;
}
