// Generated API-format workflows for the graph-editor benchmark: independent pipelines of
// checkpoint → prompts → repeated (KSampler → VAEDecode → ImageScale → VAEEncode) stages → SaveImage,
// the shape of a real multi-pass upscale graph, until the requested node count is reached.
import type { ApiPrompt } from "../lib/comfy-graph/types";

const STAGES = 6;

export function generateApiWorkflow(target: number): ApiPrompt {
  const prompt: ApiPrompt = {};
  let next = 1;
  const add = (class_type: string, inputs: Record<string, unknown>, title?: string) => {
    const id = String(next++);
    prompt[id] = { class_type, inputs, ...(title ? { _meta: { title } } : {}) };
    return id;
  };
  let pipeline = 0;
  while (next <= target) {
    pipeline++;
    const ckpt = add("CheckpointLoaderSimple", { ckpt_name: "v1-5-pruned-emaonly.safetensors" }, `Checkpoint ${pipeline}`);
    const pos = add("CLIPTextEncode", { text: `a detailed photo, pipeline ${pipeline}`, clip: [ckpt, 1] }, `Positive ${pipeline}`);
    const neg = add("CLIPTextEncode", { text: "blurry, low quality", clip: [ckpt, 1] }, `Negative ${pipeline}`);
    let latent: [string, number] = [add("EmptyLatentImage", { width: 512, height: 512, batch_size: 1 }), 0];
    let image: [string, number] | null = null;
    for (let s = 0; s < STAGES && next + 5 <= target; s++) {
      const ks = add("KSampler", {
        seed: pipeline * 1000 + s,
        steps: 20,
        cfg: 7,
        sampler_name: "euler",
        scheduler: "normal",
        denoise: s === 0 ? 1 : 0.5,
        model: [ckpt, 0],
        positive: [pos, 0],
        negative: [neg, 0],
        latent_image: latent,
      });
      const dec = add("VAEDecode", { samples: [ks, 0], vae: [ckpt, 2] });
      const scale = add("ImageScale", { upscale_method: "bilinear", width: 512 + 64 * (s + 1), height: 512 + 64 * (s + 1), crop: "disabled", image: [dec, 0] });
      image = [scale, 0];
      const enc = add("VAEEncode", { pixels: image, vae: [ckpt, 2] });
      latent = [enc, 0];
    }
    if (image) add("SaveImage", { filename_prefix: `pipeline_${pipeline}`, images: image });
    if (next > target) break;
  }
  // trim to exactly `target` nodes without leaving dangling links
  for (const id of Object.keys(prompt)) if (Number(id) > target) delete prompt[id];
  for (const node of Object.values(prompt))
    for (const [k, v] of Object.entries(node.inputs))
      if (Array.isArray(v) && !prompt[String(v[0])]) delete node.inputs[k];
  return prompt;
}
