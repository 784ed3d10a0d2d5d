// Output bookkeeping shared by adapters: safe file names, media kinds, content types.
import path from "node:path";
import type { ProviderOutput } from "./types";

const EXT_TYPES: Record<string, [string, ProviderOutput["kind"]]> = {
  png: ["image/png", "image"],
  jpg: ["image/jpeg", "image"],
  jpeg: ["image/jpeg", "image"],
  webp: ["image/webp", "image"],
  bmp: ["image/bmp", "image"],
  tif: ["image/tiff", "image"],
  tiff: ["image/tiff", "image"],
  gif: ["image/gif", "image"],
  svg: ["image/svg+xml", "file"],
  mp4: ["video/mp4", "video"],
  webm: ["video/webm", "video"],
  mov: ["video/quicktime", "video"],
  mkv: ["video/x-matroska", "video"],
  avi: ["video/x-msvideo", "video"],
  wav: ["audio/wav", "audio"],
  flac: ["audio/flac", "audio"],
  mp3: ["audio/mpeg", "audio"],
  ogg: ["audio/ogg", "audio"],
  opus: ["audio/opus", "audio"],
  m4a: ["audio/mp4", "audio"],
  glb: ["model/gltf-binary", "file"],
  gltf: ["model/gltf+json", "file"],
  obj: ["model/obj", "file"],
  fbx: ["application/octet-stream", "file"],
  ply: ["application/octet-stream", "file"],
  stl: ["model/stl", "file"],
  txt: ["text/plain; charset=utf-8", "text"],
  json: ["application/json", "file"],
};

export function extOf(name: string): string {
  return path.posix.extname(name).slice(1).toLowerCase();
}

export function describeFile(name: string, hint?: { key?: string; animated?: boolean }): { contentType: string; kind: ProviderOutput["kind"] } {
  const [contentType, baseKind] = EXT_TYPES[extOf(name)] ?? ["application/octet-stream", "file"];
  let kind = baseKind;
  const key = hint?.key ?? "";
  if (key === "audio") kind = "audio";
  else if (/^(gifs|videos?|animations?)$/.test(key) && kind === "image") kind = "video";
  else if (hint?.animated && (kind === "image")) kind = "video";
  return { contentType, kind };
}

/**
 * Hostile names from a provider (`../../etc/passwd`, control characters, 300-char names, `<script>`)
 * become a plain base name with a known extension, safe for any storage backend.
 */
export function sanitizeFilename(raw: unknown, fallback: string): string {
  const s = typeof raw === "string" ? raw : "";
  let base = s.replace(/\\/g, "/").split("/").pop() ?? "";
  base = base.normalize("NFKC").replace(/[\u0000-\u001f\u007f]/g, "").replace(/[^\p{L}\p{N}._\- ()]/gu, "_").trim();
  base = base.replace(/^\.+/, "").replace(/\s+/g, " ");
  if (!base || /^[_. ]*$/.test(base)) base = fallback;
  if (base.length > 120) {
    const ext = path.posix.extname(base).slice(0, 12);
    base = base.slice(0, 120 - ext.length) + ext;
  }
  return base;
}

/** Makes names unique within one run's outputs (`a.png`, `a-2.png`). */
export function uniqueNames(outputs: ProviderOutput[]): ProviderOutput[] {
  const seen = new Set<string>();
  for (const o of outputs) {
    let name = o.filename;
    const ext = path.posix.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    for (let i = 2; seen.has(name.toLowerCase()); i++) name = `${stem}-${i}${ext}`;
    seen.add(name.toLowerCase());
    o.filename = name;
  }
  return outputs;
}
