// Workflows embedded in images ComfyUI saves: PNG text chunks (tEXt/iTXt/zTXt, keys `prompt` and
// `workflow`) and WebP EXIF strings of the form `prompt:{…}` / `workflow:{…}` (SaveAnimatedWEBP / SaveWEBM
// write them into Model/Make/ImageDescription tags). Every offset is bounds-checked: a bad file is image_corrupt.
import { inflateSync } from "node:zlib";
import { WorkflowError } from "./errors";

export interface EmbeddedTexts {
  prompt?: string;
  workflow?: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(buf: Uint8Array): boolean {
  return buf.length >= 8 && Buffer.from(buf.buffer, buf.byteOffset, 8).equals(PNG_SIGNATURE);
}

export function isWebp(buf: Uint8Array): boolean {
  return buf.length >= 12 && ascii(buf, 0, 4) === "RIFF" && ascii(buf, 8, 4) === "WEBP";
}

function ascii(buf: Uint8Array, start: number, len: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, len).toString("latin1");
}

function corrupt(message: string): never {
  throw new WorkflowError("image_corrupt", message);
}

function inflateLimited(data: Buffer, maxBytes: number): Buffer {
  try {
    return inflateSync(data, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || /larger than/i.test(String(e))) {
      throw new WorkflowError("workflow_too_large", `Compressed text chunk expands beyond ${maxBytes} bytes`, { maxBytes });
    }
    return corrupt("Compressed text chunk in the PNG could not be inflated");
  }
}

function keep(out: EmbeddedTexts, key: string, text: string): void {
  const k = key.toLowerCase();
  if ((k === "prompt" || k === "workflow") && out[k] === undefined) out[k] = text;
}

export function readPngTexts(input: Uint8Array, maxBytes: number): EmbeddedTexts {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const out: EmbeddedTexts = {};
  let off = 8;
  let sawEnd = false;
  while (off < buf.length) {
    if (off + 8 > buf.length) corrupt("PNG chunk header is truncated");
    const len = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    const start = off + 8;
    const end = start + len;
    if (len > 0x7fffffff || end + 4 > buf.length) corrupt(`PNG chunk ${JSON.stringify(type)} runs past the end of the file`);
    const data = buf.subarray(start, end);
    if (type === "tEXt") {
      const z = data.indexOf(0);
      if (z > 0) keep(out, data.toString("latin1", 0, z), data.toString("latin1", z + 1));
    } else if (type === "zTXt") {
      const z = data.indexOf(0);
      if (z > 0 && z + 2 <= data.length) {
        const key = data.toString("latin1", 0, z);
        if (/^(prompt|workflow)$/i.test(key)) keep(out, key, inflateLimited(data.subarray(z + 2), maxBytes).toString("latin1"));
      }
    } else if (type === "iTXt") {
      const z = data.indexOf(0);
      if (z > 0 && z + 3 <= data.length) {
        const key = data.toString("latin1", 0, z);
        const compressed = data[z + 1] === 1;
        const langEnd = data.indexOf(0, z + 3);
        const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
        if (transEnd < 0) corrupt("PNG iTXt chunk is malformed");
        if (/^(prompt|workflow)$/i.test(key)) {
          const body = data.subarray(transEnd + 1);
          keep(out, key, (compressed ? inflateLimited(body, maxBytes) : body).toString("utf8"));
        }
      }
    } else if (type === "IEND") {
      sawEnd = true;
      break;
    }
    off = end + 4; // skip CRC
  }
  if (!sawEnd && out.prompt === undefined && out.workflow === undefined) corrupt("PNG has no IEND chunk");
  return out;
}

const EXIF_STRING_TYPES = new Set([1, 2, 7]);

function readTiffStrings(tiff: Buffer): string[] {
  if (tiff.length < 8) corrupt("EXIF block is truncated");
  const order = tiff.toString("latin1", 0, 2);
  if (order !== "II" && order !== "MM") corrupt("EXIF block has no byte-order mark");
  const le = order === "II";
  const u16 = (o: number) => (o + 2 <= tiff.length ? (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o)) : corrupt("EXIF offset out of range"));
  const u32 = (o: number) => (o + 4 <= tiff.length ? (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o)) : corrupt("EXIF offset out of range"));
  const strings: string[] = [];
  const visited = new Set<number>();
  const queue = [u32(4)];
  while (queue.length) {
    const ifd = queue.shift()!;
    if (ifd === 0 || visited.has(ifd) || visited.size > 16) continue;
    visited.add(ifd);
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const e = ifd + 2 + i * 12;
      const tag = u16(e);
      const type = u16(e + 2);
      const n = u32(e + 4);
      if (tag === 0x8769 || tag === 0x8825) {
        queue.push(u32(e + 8));
        continue;
      }
      if (!EXIF_STRING_TYPES.has(type)) continue;
      const at = n <= 4 ? e + 8 : u32(e + 8);
      if (at + n > tiff.length) corrupt("EXIF string runs past the end of the block");
      strings.push(tiff.toString("utf8", at, at + n).replace(/\u0000+$/, ""));
    }
    const nextAt = ifd + 2 + count * 12;
    if (nextAt + 4 <= tiff.length) queue.push(u32(nextAt));
  }
  return strings;
}

export function readWebpTexts(input: Uint8Array): EmbeddedTexts {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const out: EmbeddedTexts = {};
  const riffEnd = Math.min(buf.length, 8 + buf.readUInt32LE(4));
  let off = 12;
  while (off + 8 <= riffEnd) {
    const type = buf.toString("latin1", off, off + 4);
    const len = buf.readUInt32LE(off + 4);
    const start = off + 8;
    if (start + len > buf.length) corrupt(`WebP chunk ${JSON.stringify(type)} runs past the end of the file`);
    if (type === "EXIF") {
      let tiff = buf.subarray(start, start + len);
      if (tiff.toString("latin1", 0, 6) === "Exif\u0000\u0000") tiff = tiff.subarray(6);
      for (const s of readTiffStrings(tiff)) {
        const m = /^\s*(prompt|workflow)\s*:\s*/i.exec(s);
        if (m) keep(out, m[1]!, s.slice(m[0].length));
      }
    }
    off = start + len + (len % 2);
  }
  return out;
}
