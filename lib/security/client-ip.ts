// The address a request came from, for per-address rate limits. Next.js route handlers see no socket,
// and Next fills X-Forwarded-For only when the request lacks one (so a client can name any address).
// - The Next.js server started by `npm run dev` / `npm start` preloads scripts/peer-address.cjs, which
//   stamps each request with the socket's peer address (`x-flowgate-peer`, never the client's copy).
// - FLOWGATE_TRUST_PROXY unset: Flowgate is reached directly; the address is that peer address
//   (without the preload: the last X-Forwarded-For entry, which Next set from the socket).
// - FLOWGATE_TRUST_PROXY=N (`true` = 1): N reverse proxies in front of Flowgate each append the address
//   they saw to X-Forwarded-For; the client's is the N-th entry from the right, which it cannot forge.
type HeaderSource = Request | { headers: Record<string, string | string[] | undefined> };

export function trustedProxyHops(): number {
  const v = (process.env.FLOWGATE_TRUST_PROXY ?? "").trim().toLowerCase();
  if (!v || v === "0" || v === "false") return 0;
  if (v === "true") return 1;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

function header(req: HeaderSource, name: string): string | null {
  if (req.headers instanceof Headers) return req.headers.get(name);
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : (v ?? null);
}

export function clientIp(req: HeaderSource): string {
  const xff = (header(req, "x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const hops = trustedProxyHops();
  const peer = header(req, "x-flowgate-peer");
  const ip = hops > 0 ? (xff[Math.max(0, xff.length - hops)] ?? peer) : (peer ?? xff[xff.length - 1]);
  return ip ? ip.replace(/^::ffff:/i, "").slice(0, 64) : "unknown";
}
