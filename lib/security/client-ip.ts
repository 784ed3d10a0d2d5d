// The address a request came from, for per-address rate limits. Next.js route handlers see no socket:
// Next sets X-Forwarded-For to the peer address only when the request did not carry one.
// - FLOWGATE_TRUST_PROXY unset: Flowgate is reached directly; the address is the last X-Forwarded-For
//   entry (the one Next.js set from the socket). A client that sends its own header can pick what is
//   used, so expose Flowgate through a reverse proxy in production (README, Security).
// - FLOWGATE_TRUST_PROXY=N (`true` = 1): N proxies in front of Flowgate each append the address they
//   saw; the client's is the N-th entry from the right, which the client cannot forge.
export function trustedProxyHops(): number {
  const v = (process.env.FLOWGATE_TRUST_PROXY ?? "").trim().toLowerCase();
  if (!v || v === "0" || v === "false") return 0;
  if (v === "true") return 1;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

export function clientIp(req: Request | { headers: Record<string, string | string[] | undefined> }): string {
  const raw = req.headers instanceof Headers ? req.headers.get("x-forwarded-for") : req.headers["x-forwarded-for"];
  const xff = (Array.isArray(raw) ? raw.join(",") : (raw ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const hops = Math.max(1, trustedProxyHops());
  const ip = xff[Math.max(0, xff.length - hops)];
  return ip ? ip.replace(/^::ffff:/i, "").slice(0, 64) : "unknown";
}
