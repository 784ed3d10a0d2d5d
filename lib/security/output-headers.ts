// How a stored run output is served. Outputs are bytes a backend chose (name and type included), served
// from our own origin: anything a browser could run as a document (SVG, HTML, XML, PDF, unknown) must
// never render here, or its script would act with the signed-in user's cookies. Only passive media
// types render inline; everything else is an attachment typed application/octet-stream, and every
// output carries a sandboxing CSP and nosniff so that even an inline file opened as a page gets an
// opaque origin with no script.

/** Media types that browsers render without running script. */
const INLINE_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
  "video/mp4",
  "video/webm",
  "video/ogg",
  "audio/mpeg",
  "audio/mp4",
  "audio/wav",
  "audio/x-wav",
  "audio/wave",
  "audio/ogg",
  "audio/webm",
  "audio/flac",
  "audio/aac",
]);

/** The CSP of every output response: no script, no plugins, no framing, an opaque origin. */
export const OUTPUT_CSP = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";

export function isInlineType(contentType: string): boolean {
  return INLINE_TYPES.has(baseType(contentType));
}

function baseType(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

/** RFC 6266 Content-Disposition: an ASCII fallback name plus the UTF-8 name, never header injection. */
export function contentDisposition(kind: "inline" | "attachment", filename: string): string {
  // Keep only the last path segment; drop control characters (CR/LF would split the header).
  const name = (filename.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim() || "output";
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function outputHeaders(out: { contentType: string; filename: string; size: number }): Record<string, string> {
  const inline = isInlineType(out.contentType);
  return {
    "Content-Type": inline ? baseType(out.contentType) : "application/octet-stream",
    "Content-Length": String(out.size),
    "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", out.filename),
    "Content-Security-Policy": OUTPUT_CSP,
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, max-age=31536000, immutable",
  };
}
