// Helpers for the provider contract suites (tests only): polling to a terminal state and a few
// small API-format prompts that run on the sandbox and on a stock ComfyUI without models.
import type { ApiPrompt, EndpointTarget, Provider, ProviderStatus } from "./types";
import { ProviderError } from "./types";

export async function pollUntil(
  provider: Provider,
  ep: EndpointTarget,
  id: string,
  opts: { timeoutMs?: number; intervalMs?: number; until?: (s: ProviderStatus) => boolean } = {},
): Promise<{ status: ProviderStatus; seen: ProviderStatus["state"][]; transient: ProviderError[] }> {
  const until = opts.until ?? ((s) => s.state === "succeeded" || s.state === "failed" || s.state === "canceled");
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  const seen: ProviderStatus["state"][] = [];
  const transient: ProviderError[] = [];
  for (;;) {
    try {
      const s = await provider.status(ep, id);
      if (seen[seen.length - 1] !== s.state) seen.push(s.state);
      if (until(s)) return { status: s, seen, transient };
    } catch (e) {
      if (!(e instanceof ProviderError) || e.errorClass !== "retryable") throw e;
      transient.push(e);
    }
    if (Date.now() > deadline) throw new Error(`status of ${id} did not settle in time; seen ${seen.join(" → ")}; transient: ${transient.map((t) => t.message).join(" | ")}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
  }
}

/** EmptyImage → SaveImage: runs on any ComfyUI, no models needed. */
export function emptyImagePrompt(tag = "a", size = 64): ApiPrompt {
  return {
    "1": { class_type: "EmptyImage", inputs: { width: size, height: size, batch_size: 1, color: tag.length * 4242 } },
    "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: `flowgate_test_${tag}` } },
  };
}

/** A classic txt2img graph (KSampler → VAEDecode → SaveImage). Needs a checkpoint on a real server. */
export function txt2imgPrompt(opts: { seed?: number; text?: string; width?: number; height?: number; steps?: number; ckpt?: string; prefix?: string } = {}): ApiPrompt {
  return {
    "3": {
      class_type: "KSampler",
      inputs: {
        seed: opts.seed ?? 42,
        steps: opts.steps ?? 8,
        cfg: 7,
        sampler_name: "euler",
        scheduler: "normal",
        denoise: 1,
        model: ["4", 0],
        positive: ["6", 0],
        negative: ["7", 0],
        latent_image: ["5", 0],
      },
    },
    "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: opts.ckpt ?? "v1-5-pruned-emaonly.safetensors" } },
    "5": { class_type: "EmptyLatentImage", inputs: { width: opts.width ?? 256, height: opts.height ?? 192, batch_size: 1 } },
    "6": { class_type: "CLIPTextEncode", inputs: { text: opts.text ?? "a lighthouse at dusk", clip: ["4", 1] } },
    "7": { class_type: "CLIPTextEncode", inputs: { text: "blurry", clip: ["4", 1] } },
    "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
    "9": { class_type: "SaveImage", inputs: { filename_prefix: opts.prefix ?? "ComfyUI", images: ["8", 0] } },
  };
}

export function pngSize(buf: Buffer): { width: number; height: number } | null {
  if (buf.length < 24 || buf.readUInt32BE(0) !== 0x89504e47) return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}
