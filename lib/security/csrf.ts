// CSRF protection for cookie-authenticated writes. A browser attaches the session cookie to a request
// another site makes it send (a form post, a fetch with credentials); it also says where the request
// comes from (Origin, Sec-Fetch-Site), which the other site cannot change. A write with the session
// cookie must come from Flowgate's own origin: NEXTAUTH_URL's, or the Host the request was sent to.
// Requests with an API key (Authorization: Bearer) carry no ambient credential and are exempt.
import { ApiError } from "@/lib/errors";
import { trustedProxyHops } from "./client-ip";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

function appOrigins(req: Request): Set<string> {
  const origins = new Set<string>();
  const configured = process.env.NEXTAUTH_URL ?? process.env.FLOWGATE_PUBLIC_URL;
  for (const u of [configured, req.url]) {
    try {
      if (u) origins.add(new URL(u).origin);
    } catch {
      /* not a URL */
    }
  }
  // The host the browser addressed (and, behind a trusted proxy, the one it forwarded), either scheme:
  // a TLS-terminating proxy makes the request look like http here while the browser saw https.
  const hosts = [req.headers.get("host")];
  if (trustedProxyHops() > 0) hosts.push(req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? null);
  for (const h of hosts) if (h) for (const scheme of ["http", "https"]) origins.add(`${scheme}://${h.toLowerCase()}`);
  return origins;
}

/** Throws 403 csrf_rejected unless an unsafe, cookie-authenticated request is same-origin. */
export function assertSameOrigin(req: Request): void {
  if (isSafeMethod(req.method)) return;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new ApiError("csrf_rejected", `Refused a ${site} request made with your session cookie. Use Flowgate from its own pages, or send an API key (Authorization: Bearer …) from scripts.`, { secFetchSite: site });
  }
  let origin = req.headers.get("origin");
  if (!origin || origin === "null") {
    const referer = req.headers.get("referer");
    try {
      origin = referer ? new URL(referer).origin : origin;
    } catch {
      origin = null;
    }
  }
  if (!origin || origin === "null") {
    throw new ApiError("csrf_rejected", "A write made with your session cookie must say where it comes from (Origin header); browsers send it. Scripts should send an API key (Authorization: Bearer …) instead.");
  }
  if (!appOrigins(req).has(origin.toLowerCase())) {
    throw new ApiError("csrf_rejected", `Refused a write from ${origin} made with your session cookie: only Flowgate's own pages may do that.`, { origin });
  }
}
