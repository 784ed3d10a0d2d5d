// Security headers of every response. Pages get a per-request nonce CSP from proxy.ts (Next.js adds
// the nonce to its own scripts when it finds it in the request's CSP header); every response gets
// nosniff, Referrer-Policy, X-Frame-Options, Permissions-Policy and COOP from next.config.mjs.
// Kept free of Node APIs: proxy.ts imports it.

/** The dashboard's CSP: scripts only with this request's nonce; nothing framed, nothing framing us. */
export function pageCsp(nonce: string, dev = process.env.NODE_ENV !== "production"): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts our nonce'd scripts load are trusted; 'unsafe-eval' only for React's
    // development tooling (`next dev`), never in production.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and React Flow set style attributes; Next injects style tags in development.
    "style-src 'self' 'unsafe-inline'",
    // Outputs and inputs are same-origin; previews of a file being uploaded are blob: URLs.
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    // Same-origin fetches and SSE (ws: for `next dev`'s hot reload).
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const HSTS = "max-age=31536000; includeSubDomains";

/** HSTS only when the browser reached us over https (directly, or through a TLS-terminating proxy
 * that says so in X-Forwarded-Proto). A forged header on plain http is harmless: browsers ignore HSTS
 * received over http. */
export function servedOverHttps(req: Request): boolean {
  if (new URL(req.url).protocol === "https:") return true;
  return req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}
