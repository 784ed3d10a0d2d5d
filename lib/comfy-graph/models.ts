// Model files referenced by a prompt: which combo inputs name a model and which ComfyUI model
// folder (models/<folder>) they load from, derived from the loader's class and input names.
import { getDef, defInputs } from "./object-info";
import type { ObjectInfo } from "./types";

export const MODEL_EXTENSIONS = [
  ".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf", ".sft", ".onnx", ".pt2", ".pkl", ".pb", ".th", ".model", ".engine", ".trt", ".vae",
];

export function looksLikeModelFile(value: unknown): value is string {
  if (typeof value !== "string" || value.length < 4) return false;
  const v = value.toLowerCase();
  return MODEL_EXTENSIONS.some((ext) => v.endsWith(ext));
}

// input name → folder; checked before the class heuristics below.
const INPUT_FOLDERS: [RegExp, string][] = [
  [/^ckpt_name$/, "checkpoints"],
  [/^(lora_name|lora|lora_\d+|lora_\d+_name)$/, "loras"],
  [/^vae_name$/, "vae"],
  [/^unet_name$/, "diffusion_models"],
  [/^(clip_name\d*|text_encoder\d*|t5_name|llm_name)$/, "text_encoders"],
  [/^control_net_name$/, "controlnet"],
  [/^clip_vision(_name)?$/, "clip_vision"],
  [/^style_model_name$/, "style_models"],
  [/^gligen_name$/, "gligen"],
  [/^hypernetwork_name$/, "hypernetworks"],
  [/^(embedding|embedding_name)$/, "embeddings"],
  [/^upscale_model(_name)?$/, "upscale_models"],
  [/^photomaker_model_name$/, "photomaker"],
  [/^audio_encoder_name$/, "audio_encoders"],
  [/^(model_patch_name|name)$/, ""],
  [/^instantid_file$/, "instantid"],
  [/^pulid_file$/, "pulid"],
  [/^ipadapter_file$/, "ipadapter"],
  [/^(vae_approx|taesd)/, "vae_approx"],
];

// class name → folder for generic input names such as `model_name` or `name`.
const CLASS_FOLDERS: [RegExp, string][] = [
  [/upscale/i, "upscale_models"],
  [/lora/i, "loras"],
  [/controlnet|control_net|diffcontrolnet/i, "controlnet"],
  [/clipvision|clip_vision/i, "clip_vision"],
  [/stylemodel/i, "style_models"],
  [/gligen/i, "gligen"],
  [/hypernetwork/i, "hypernetworks"],
  [/photomaker/i, "photomaker"],
  [/unet|diffusionmodel|diffusion_model/i, "diffusion_models"],
  [/checkpoint/i, "checkpoints"],
  [/vae/i, "vae"],
  [/clip|textencoder/i, "text_encoders"],
  [/modelpatch/i, "model_patches"],
  [/audioencoder/i, "audio_encoders"],
  [/latentupscale/i, "latent_upscale_models"],
  [/instantid/i, "instantid"],
  [/pulid/i, "pulid"],
  [/ipadapter/i, "ipadapter"],
  [/insightface/i, "insightface"],
  [/sam/i, "sams"],
];

export function modelFolder(classType: string, input: string): string | null {
  if (classType === "LoraLoaderModelOnly" || /^Lora/i.test(classType)) {
    if (/^lora/.test(input)) return "loras";
  }
  if (/clipvision/i.test(classType) && /^clip_name$/.test(input)) return "clip_vision"; // not text_encoders

  for (const [re, folder] of INPUT_FOLDERS) {
    if (re.test(input)) {
      if (folder) return folder;
      break;
    }
  }
  if (/(_name|_file|^model|^name)$/.test(input) || /model/.test(input)) {
    if (/^ModelPatchLoader$/.test(classType)) return "model_patches";
    if (/LatentUpscaleModel/i.test(classType)) return "latent_upscale_models";
    for (const [re, folder] of CLASS_FOLDERS) if (re.test(classType)) return folder;
  }
  return null;
}

export interface ModelRef {
  nodeId: string;
  input: string;
  name: string;
  folder: string | null;
}

/**
 * A literal input names a model when it is a combo on a loader-like input whose value is a model file,
 * or (without a definition) when the value simply ends in a model extension.
 */
export function isModelInput(classType: string, input: string, value: unknown, objectInfo?: ObjectInfo): boolean {
  if (typeof value !== "string" || value === "" || value === "None") return false;
  const def = getDef(objectInfo, classType);
  const info = def ? defInputs(def).find((i) => i.name === input) : undefined;
  if (info && info.type !== "COMBO") return false;
  if (looksLikeModelFile(value)) return true;
  return info !== undefined && modelFolder(classType, input) !== null && /(_name|_file)$/.test(input) && !/(sampler|scheduler|type|device|dtype|method|mode)/.test(input);
}
