// An optional small preview of a PNG output for a tool answer (off unless the caller asks): at most
// THUMB_PX on its longer side, so an agent can glance at a result without the full file entering its
// context. Other types get none (the link is always there).
import { PNG } from "pngjs";
import type { Ctx } from "@/lib/context";
import { getRunOutput } from "@/lib/runs/get-run-output";

export const THUMB_PX = 128;
/** Outputs larger than this are not decoded for a preview. */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** Nearest-neighbour downscale of an RGBA PNG: enough for a preview, no native dependency. */
export function pngThumbnail(bytes: Buffer, maxPx = THUMB_PX): Buffer {
  const src = PNG.sync.read(bytes);
  const scale = Math.min(1, maxPx / Math.max(src.width, src.height));
  const w = Math.max(1, Math.round(src.width * scale));
  const h = Math.max(1, Math.round(src.height * scale));
  const out = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    const sy = Math.min(src.height - 1, Math.floor(y / scale));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(src.width - 1, Math.floor(x / scale));
      src.data.copy(out.data, (y * w + x) * 4, (sy * src.width + sx) * 4, (sy * src.width + sx) * 4 + 4);
    }
  }
  return PNG.sync.write(out);
}

/** A base64 PNG preview of one output, or null when it is not a PNG (or too large, or unreadable). */
export async function outputThumbnail(ctx: Ctx, runId: string, output: { id: string; contentType: string; sizeBytes: number }): Promise<string | null> {
  if (!/^image\/png\b/i.test(output.contentType) || output.sizeBytes > MAX_SOURCE_BYTES) return null;
  try {
    const out = await getRunOutput({ ctx, input: { runId, outputId: output.id } });
    return pngThumbnail(await readAll(out.stream())).toString("base64");
  } catch {
    return null;
  }
}
