// Test-only generators of images with embedded workflows: a WebP with an EXIF chunk the way
// ComfyUI's SaveAnimatedWEBP writes it (0x0110 Model = "prompt:{…}", 0x010f Make = "workflow:{…}"),
// and PNG text chunks (tEXt / iTXt / zTXt) around a real PNG.
import { deflateSync } from "node:zlib";
import { PNG } from "pngjs";

function tiffWithStrings(entries: [number, string][], littleEndian = true): Buffer {
  const count = entries.length;
  const headerSize = 8 + 2 + count * 12 + 4;
  const datas = entries.map(([, s]) => Buffer.from(s + "\u0000", "utf8"));
  const total = headerSize + datas.reduce((a, d) => a + d.length, 0);
  const b = Buffer.alloc(total);
  const w16 = (v: number, o: number) => (littleEndian ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (littleEndian ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  b.write(littleEndian ? "II" : "MM", 0, "latin1");
  w16(42, 2);
  w32(8, 4);
  w16(count, 8);
  let dataAt = headerSize;
  entries.forEach(([tag], i) => {
    const e = 10 + i * 12;
    w16(tag, e);
    w16(2, e + 2); // ASCII
    w32(datas[i]!.length, e + 4);
    w32(dataAt, e + 8);
    datas[i]!.copy(b, dataAt);
    dataAt += datas[i]!.length;
  });
  w32(0, 10 + count * 12);
  return b;
}

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, "latin1");
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

export function makeWebp(texts: { prompt?: unknown; workflow?: unknown }, opts: { exifPrefix?: boolean; bigEndian?: boolean } = {}): Buffer {
  const entries: [number, string][] = [];
  if (texts.workflow !== undefined) entries.push([0x010f, `workflow:${JSON.stringify(texts.workflow)}`]);
  if (texts.prompt !== undefined) entries.push([0x0110, `prompt:${JSON.stringify(texts.prompt)}`]);
  let exif = tiffWithStrings(entries, !opts.bigEndian);
  if (opts.exifPrefix) exif = Buffer.concat([Buffer.from("Exif\u0000\u0000", "latin1"), exif]);
  // VP8X header (EXIF flag set) + a tiny VP8L payload; the pixels do not matter to the reader.
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x08;
  const vp8l = Buffer.from([0x2f, 0x00, 0x00, 0x00, 0x00, 0x88, 0x88, 0x08, 0x00]);
  const body = Buffer.concat([Buffer.from("WEBP", "latin1"), riffChunk("VP8X", vp8x), riffChunk("VP8L", vp8l), riffChunk("EXIF", exif)]);
  const head = Buffer.alloc(8);
  head.write("RIFF", 0, "latin1");
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function makePng(chunks: { type: "tEXt" | "iTXt" | "zTXt"; key: string; text: string; compressed?: boolean }[]): Buffer {
  const png = new PNG({ width: 1, height: 1 });
  const base = PNG.sync.write(png);
  const iendAt = base.length - 12;
  const extra = chunks.map((c) => {
    const key = Buffer.from(c.key + "\u0000", "latin1");
    if (c.type === "tEXt") return pngChunk("tEXt", Buffer.concat([key, Buffer.from(c.text, "latin1")]));
    if (c.type === "zTXt") return pngChunk("zTXt", Buffer.concat([key, Buffer.from([0]), deflateSync(Buffer.from(c.text, "latin1"))]));
    const body = c.compressed ? deflateSync(Buffer.from(c.text, "utf8")) : Buffer.from(c.text, "utf8");
    return pngChunk("iTXt", Buffer.concat([key, Buffer.from([c.compressed ? 1 : 0, 0]), Buffer.from("\u0000\u0000", "latin1"), body]));
  });
  return Buffer.concat([base.subarray(0, iendAt), ...extra, base.subarray(iendAt)]);
}
