// Next.js Proxy (the successor of middleware): a fresh CSP nonce for every page, passed to the render
// in the request's own CSP header (Next.js puts it on its scripts), and HSTS when served over https.
// API routes set their own headers (outputs carry a sandboxing CSP); static assets need none.
import { NextResponse, type NextRequest } from "next/server";
import { HSTS, pageCsp, servedOverHttps } from "@/lib/security/headers";

export function proxy(request: NextRequest) {
  const https = servedOverHttps(request);
  if (request.nextUrl.pathname.startsWith("/api/")) {
    const res = NextResponse.next();
    if (https) res.headers.set("Strict-Transport-Security", HSTS);
    return res;
  }
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = pageCsp(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  if (https) res.headers.set("Strict-Transport-Security", HSTS);
  return res;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.svg|screenshots/).*)",
      // Prefetches reuse the page's policy; no need to mint a nonce for them.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
