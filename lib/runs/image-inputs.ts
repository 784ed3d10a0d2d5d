// Image slots accept a data URI, raw base64 or an http(s) URL. They are fetched/decoded once, at
// submission, checked to be real images of bounded size, and kept in Flowgate storage for the worker.
import { ApiError } from "@/lib/errors";
import { AddressRefusedError, OutboundError, outboundFetch } from "@/lib/net";

export const MAX_IMAGE_BYTES = Number(process.env.FLOWGATE_MAX_IMAGE_BYTES ?? 20 * 1024 * 1024);

const SIGNATURES: { type: string; ext: string; test: (b: Buffer) => boolean }[] = [
  { type: "image/png", ext: "png", test: (b) => b.length > 8 && b.readUInt32BE(0) === 0x89504e47 },
  { type: "image/jpeg", ext: "jpg", test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: "image/webp", ext: "webp", test: (b) => b.length > 12 && b.toString("ascii", 0, 4) === "RIFF" && b.toString("ascii", 8, 12) === "WEBP" },
  { type: "image/gif", ext: "gif", test: (b) => b.length > 6 && b.toString("ascii", 0, 3) === "GIF" },
];

export function sniffImage(b: Buffer): { type: string; ext: string } | null {
  return SIGNATURES.find((s) => s.test(b)) ?? null;
}

export interface DecodedImage {
  data: Buffer;
  contentType: string;
  ext: string;
  source: "data-uri" | "base64" | "url";
}

export async function decodeImageInput(slot: string, value: string): Promise<DecodedImage> {
  let data: Buffer;
  let source: DecodedImage["source"];
  if (/^https?:\/\//i.test(value)) {
    source = "url";
    // lib/net: the address the download connects to is checked (every redirect hop too), the body bounded.
    let res;
    try {
      res = await outboundFetch(value, { purpose: "image", timeoutMs: 20_000, maxBytes: MAX_IMAGE_BYTES, redirect: "follow" });
    } catch (err) {
      if (err instanceof AddressRefusedError) throw new ApiError("url_not_allowed", `Input "${slot}": ${err.message}`, { slot, ...err.details });
      if (err instanceof OutboundError && err.code === "too_large") {
        throw new ApiError("input_too_large", `Input "${slot}": the image is larger than the ${MAX_IMAGE_BYTES}-byte limit.`, { slot, limit: MAX_IMAGE_BYTES });
      }
      const u = safeOrigin(value);
      throw new ApiError("input_invalid", `Input "${slot}": could not download ${u} (${(err as Error).message}).`, { slot });
    }
    if (res.status < 200 || res.status >= 300) throw new ApiError("input_invalid", `Input "${slot}": downloading the image answered HTTP ${res.status}.`, { slot });
    data = res.body;
  } else {
    const m = /^data:([a-z0-9.+/-]+)?(;[a-z0-9=-]+)*;base64,/i.exec(value);
    const b64 = m ? value.slice(m[0].length) : value;
    source = m ? "data-uri" : "base64";
    if ((b64.length * 3) / 4 > MAX_IMAGE_BYTES) {
      throw new ApiError("input_too_large", `Input "${slot}": the image is larger than the ${MAX_IMAGE_BYTES}-byte limit.`, { slot, limit: MAX_IMAGE_BYTES });
    }
    if (!/^[A-Za-z0-9+/_=\s-]+$/.test(b64)) {
      throw new ApiError("input_invalid", `Input "${slot}" must be an image as a data URI, base64, or an http(s) URL.`, { slot });
    }
    data = Buffer.from(b64, "base64");
  }
  const kind = sniffImage(data);
  if (!kind) throw new ApiError("input_invalid", `Input "${slot}" is not a PNG, JPEG, WebP or GIF image.`, { slot });
  return { data, contentType: kind.type, ext: kind.ext, source };
}

function safeOrigin(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "the URL";
  }
}
