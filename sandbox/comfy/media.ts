// Real, small media files for sandbox outputs: PNG (with a pixel-font "SANDBOX" label), animated GIF,
// WAV and GLB. Everything is deterministic from (seed, text) so identical prompts give identical bytes.
import { PNG } from "pngjs";
import zlib from "node:zlib";
import { hash32, seededRandom } from "../util";

const GLYPHS: Record<string, string[]> = {
  S: ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
  A: ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
  N: ["10001", "11001", "10101", "10011", "10001", "10001", "10001"],
  D: ["11110", "10001", "10001", "10001", "10001", "10001", "11110"],
  B: ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
  O: ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
  X: ["10001", "10001", "01010", "00100", "01010", "10001", "10001"],
  E: ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
  F: ["11111", "10000", "10000", "11110", "10000", "10000", "10000"],
  R: ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
  M: ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
  "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
  "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
  "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
  "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
  "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
  "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
  "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
  "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
  "8": ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
  "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
  " ": ["00000", "00000", "00000", "00000", "00000", "00000", "00000"],
  "#": ["01010", "01010", "11111", "01010", "11111", "01010", "01010"],
};

type Rgb = [number, number, number];

function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/** Draws the frame into an RGBA buffer: gradient + seeded discs + pixel-font label. */
function drawFrame(width: number, height: number, seed: number, text: string, frame = 0): Buffer {
  const rnd = seededRandom(hash32(`${seed}\u0000${text}`));
  const hue = rnd() * 360;
  const c1 = hsl(hue, 0.55, 0.45);
  const c2 = hsl((hue + 140) % 360, 0.55, 0.3);
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      const i = (y * width + x) * 4;
      data[i] = c1[0] * (1 - t) + c2[0] * t;
      data[i + 1] = c1[1] * (1 - t) + c2[1] * t;
      data[i + 2] = c1[2] * (1 - t) + c2[2] * t;
      data[i + 3] = 255;
    }
  }
  const discs = 3 + Math.floor(rnd() * 4);
  for (let d = 0; d < discs; d++) {
    const cx = rnd() * width + frame * 4 * (d + 1);
    const cy = rnd() * height;
    const r = (0.08 + rnd() * 0.2) * Math.min(width, height);
    const col = hsl((hue + 60 + rnd() * 240) % 360, 0.7, 0.6);
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(height, cy + r); y++) {
      for (let x = 0; x < width; x++) {
        const dx = ((x - cx) % width + width) % width;
        const ddx = Math.min(dx, width - dx);
        if (ddx * ddx + (y - cy) ** 2 <= r * r) {
          const i = (y * width + x) * 4;
          data[i] = (data[i] + col[0]) >> 1;
          data[i + 1] = (data[i + 1] + col[1]) >> 1;
          data[i + 2] = (data[i + 2] + col[2]) >> 1;
        }
      }
    }
  }
  const label = "SANDBOX";
  const scale = Math.max(1, Math.floor(width / (label.length * 6 + 4)));
  drawText(data, width, height, label, Math.floor((width - label.length * 6 * scale) / 2), Math.floor(height / 2 - 3.5 * scale), scale);
  const small = Math.max(1, Math.floor(scale / 3));
  drawText(data, width, height, `SEED ${seed}`.slice(0, 24), 2 * small, height - 9 * small, small);
  return data;
}

function drawText(data: Buffer, width: number, height: number, text: string, x0: number, y0: number, scale: number) {
  // Dark box behind the label so it reads on any background.
  const w = text.length * 6 * scale + 2 * scale;
  const h = 9 * scale;
  for (let y = y0 - scale; y < y0 - scale + h; y++)
    for (let x = x0 - scale; x < x0 - scale + w; x++) {
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const i = (y * width + x) * 4;
      data[i] = data[i] >> 2;
      data[i + 1] = data[i + 1] >> 2;
      data[i + 2] = data[i + 2] >> 2;
    }
  [...text.toUpperCase()].forEach((ch, ci) => {
    const g = GLYPHS[ch] ?? GLYPHS["#"];
    g.forEach((row, ry) => {
      for (let rx = 0; rx < 5; rx++) {
        if (row[rx] !== "1") continue;
        for (let sy = 0; sy < scale; sy++)
          for (let sx = 0; sx < scale; sx++) {
            const x = x0 + (ci * 6 + rx) * scale + sx;
            const y = y0 + ry * scale + sy;
            if (x < 0 || y < 0 || x >= width || y >= height) continue;
            const i = (y * width + x) * 4;
            data[i] = 255;
            data[i + 1] = 255;
            data[i + 2] = 255;
          }
      }
    });
  });
}

function pngChunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typeBody = Buffer.concat([Buffer.from(type, "latin1"), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeBody) >>> 0);
  return Buffer.concat([len, typeBody, crc]);
}

export function clampSize(w: unknown, h: unknown, cap = 512): { width: number; height: number } {
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 512);
  let width = num(w);
  let height = num(h);
  const k = Math.min(1, cap / Math.max(width, height));
  width = Math.max(16, Math.round(width * k));
  height = Math.max(16, Math.round(height * k));
  return { width, height };
}

const pngCache = new Map<string, Buffer>();

/** A real PNG; `textChunks` become tEXt chunks the way ComfyUI embeds `prompt` / `workflow`. */
export function renderPng(opts: { width: number; height: number; seed: number; text: string; textChunks?: Record<string, string> }): Buffer {
  const key = `${opts.width}x${opts.height}\u0000${opts.seed}\u0000${opts.text}`;
  let buf = pngCache.get(key);
  if (!buf) {
    const png = new PNG({ width: opts.width, height: opts.height });
    png.data = drawFrame(opts.width, opts.height, opts.seed, opts.text);
    // One filter (Sub suits gradients) and a middling deflate level: a load test measures the
    // control plane, not the look-alike's PNG encoder trying every filter at level 9.
    buf = PNG.sync.write(png, { filterType: 1, deflateLevel: 4 });
    pngCache.set(key, buf);
    if (pngCache.size > 64) pngCache.delete(pngCache.keys().next().value!);
  }
  const chunks = Object.entries(opts.textChunks ?? {}).map(([k, v]) =>
    pngChunk("tEXt", Buffer.concat([Buffer.from(k, "latin1"), Buffer.from([0]), Buffer.from(v, "latin1")])),
  );
  if (!chunks.length) return buf;
  const iend = buf.length - 12;
  return Buffer.concat([buf.subarray(0, iend), ...chunks, buf.subarray(iend)]);
}

// ---- GIF (animated) ---------------------------------------------------------------------------

function lzwEncode(indices: Uint8Array, minCodeSize: number): Buffer {
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  const out: number[] = [];
  let cur = 0;
  let bits = 0;
  let codeSize = minCodeSize + 1;
  const emit = (code: number) => {
    cur |= code << bits;
    bits += codeSize;
    while (bits >= 8) {
      out.push(cur & 0xff);
      cur >>>= 8;
      bits -= 8;
    }
  };
  let dict = new Map<string, number>();
  let next = eoi + 1;
  emit(clear);
  let prefix = String(indices[0]);
  for (let i = 1; i < indices.length; i++) {
    const k = indices[i];
    const key = `${prefix},${k}`;
    if (dict.has(key)) {
      prefix = key;
      continue;
    }
    emit(prefix.includes(",") ? dict.get(prefix)! : Number(prefix));
    if (next < 4096) {
      dict.set(key, next++);
      if (next > 1 << codeSize && codeSize < 12) codeSize++;
    } else {
      emit(clear);
      dict = new Map();
      next = eoi + 1;
      codeSize = minCodeSize + 1;
    }
    prefix = String(k);
  }
  emit(prefix.includes(",") ? dict.get(prefix)! : Number(prefix));
  emit(eoi);
  if (bits > 0) out.push(cur & 0xff);
  const blocks: number[] = [];
  for (let i = 0; i < out.length; i += 255) {
    const part = out.slice(i, i + 255);
    blocks.push(part.length, ...part);
  }
  blocks.push(0);
  return Buffer.from(blocks);
}

/** A real animated GIF (6x6x6 colour cube palette), used for every video-ish output node. */
export function renderGif(opts: { width: number; height: number; seed: number; text: string; frames?: number; fps?: number }): Buffer {
  const { width, height } = opts;
  const frames = opts.frames ?? 8;
  const delay = Math.round(100 / (opts.fps ?? 8));
  const palette = Buffer.alloc(256 * 3);
  for (let i = 0; i < 216; i++) {
    palette[i * 3] = Math.floor(i / 36) * 51;
    palette[i * 3 + 1] = (Math.floor(i / 6) % 6) * 51;
    palette[i * 3 + 2] = (i % 6) * 51;
  }
  const header = Buffer.alloc(13);
  header.write("GIF89a", 0, "latin1");
  header.writeUInt16LE(width, 6);
  header.writeUInt16LE(height, 8);
  header[10] = 0xf7; // global colour table, 256 entries
  const loop = Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from("NETSCAPE2.0", "latin1"), 0x03, 0x01, 0x00, 0x00, 0x00]);
  const parts: Buffer[] = [header, palette, loop];
  for (let f = 0; f < frames; f++) {
    const rgba = drawFrame(width, height, opts.seed, opts.text, f);
    const idx = new Uint8Array(width * height);
    for (let p = 0; p < idx.length; p++) {
      const q = (v: number) => Math.round(v / 51);
      idx[p] = q(rgba[p * 4]) * 36 + q(rgba[p * 4 + 1]) * 6 + q(rgba[p * 4 + 2]);
    }
    const gce = Buffer.from([0x21, 0xf9, 0x04, 0x00, delay & 0xff, delay >> 8, 0x00, 0x00]);
    const desc = Buffer.alloc(10);
    desc[0] = 0x2c;
    desc.writeUInt16LE(width, 5);
    desc.writeUInt16LE(height, 7);
    parts.push(gce, desc, Buffer.from([8]), lzwEncode(idx, 8));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

// ---- WAV, GLB -----------------------------------------------------------------------------------

/** One second of a seeded two-tone chime, 16-bit mono PCM. */
export function renderWav(opts: { seed: number; seconds?: number; sampleRate?: number }): Buffer {
  const rate = opts.sampleRate ?? 16000;
  const n = Math.round(rate * (opts.seconds ?? 1));
  const f1 = 220 + (opts.seed % 440);
  const f2 = f1 * 1.5;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const env = Math.exp(-3 * t);
    const v = env * 0.4 * (Math.sin(2 * Math.PI * f1 * t) + 0.5 * Math.sin(2 * Math.PI * f2 * t));
    data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v * 32767))), i * 2);
  }
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "latin1");
  h.writeUInt32LE(36 + data.length, 4);
  h.write("WAVEfmt ", 8, "latin1");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36, "latin1");
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** A minimal valid glTF 2.0 binary (empty scene) for 3D output nodes. */
export function renderGlb(opts: { seed: number }): Buffer {
  let json = Buffer.from(JSON.stringify({ asset: { version: "2.0", generator: `flowgate-sandbox seed ${opts.seed}` }, scene: 0, scenes: [{ nodes: [] }] }));
  const pad = (4 - (json.length % 4)) % 4;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const header = Buffer.alloc(20);
  header.write("glTF", 0, "latin1");
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(20 + json.length, 8);
  header.writeUInt32LE(json.length, 12);
  header.write("JSON", 16, "latin1");
  return Buffer.concat([header, json]);
}
