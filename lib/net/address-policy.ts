// The one address policy for every outbound request Flowgate makes (endpoints, webhooks, image inputs,
// output downloads, health checks, WebSockets). It understands every textual form an address can take
// (IPv4-mapped / -compatible IPv6, NAT64, 6to4, Teredo, decimal / hex / octal / short IPv4, trailing
// dots, zone ids) by reducing it to bytes first, and classifies the bytes — never the spelling.
// lib/net/outbound.ts applies it to the address a connection actually goes to.
import net from "node:net";

export type AddressCategory =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "cgnat"
  | "unspecified"
  | "multicast"
  | "broadcast"
  | "reserved";

/** Why Flowgate makes a request; each can be allowed to reach private addresses on its own. */
export type Purpose = "endpoint" | "webhook" | "image" | "output";
export const PURPOSES: readonly Purpose[] = ["endpoint", "webhook", "image", "output"];

export interface Classification {
  /** Canonical text of the address (IPv4 dotted, IPv6 compressed lower case). */
  address: string;
  family: 4 | 6;
  category: AddressCategory;
  /** For IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo): that address. */
  embedded?: string;
}

// ---------- parsing ----------

/** inet_aton-style IPv4: 1–4 parts, each decimal, 0x-hex or 0-octal (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`). */
export function parseLooseIPv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length < 1 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = Number(p);
    else return null;
    if (!Number.isFinite(n)) return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255)) return null;
  const room = 4 - nums.length;
  if (last >= 256 ** room) return null;
  const tail: number[] = [];
  let rest = last;
  for (let i = 0; i < room; i++) {
    tail.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return [...nums, ...tail];
}

function parseIPv6(text: string): number[] | null {
  if (!net.isIPv6(text)) return null;
  let s = text.toLowerCase();
  let v4: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    v4 = dotted[1].split(".").map(Number);
    s = s.slice(0, -dotted[1].length) + "0:0";
  }
  const [head, tail] = s.includes("::") ? s.split("::") : [s, undefined];
  const h = head ? head.split(":") : [];
  const t = tail === undefined ? [] : tail ? tail.split(":") : [];
  const missing = 8 - h.length - t.length;
  if (tail === undefined && missing !== 0) return null;
  const groups = [...h, ...Array(Math.max(0, missing)).fill("0"), ...t].map((g) => parseInt(g, 16));
  if (groups.length !== 8 || groups.some((g) => !Number.isFinite(g) || g < 0 || g > 0xffff)) return null;
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (dotted) bytes.splice(12, 4, ...v4);
  return bytes;
}

/**
 * A host as it appears in a URL or a resolver answer → the address it denotes, or null for a DNS name.
 * Brackets, trailing dots and zone ids (`%eth0`, `%25eth0`) are removed first.
 */
export function parseAddress(host: string): { family: 4 | 6; bytes: number[] } | null {
  let h = host.trim();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  h = h.replace(/%.*$/, "").replace(/\.+$/, "");
  if (!h) return null;
  if (h.includes(":")) {
    const b = parseIPv6(h);
    return b ? { family: 6, bytes: b } : null;
  }
  const v4 = parseLooseIPv4(h);
  return v4 ? { family: 4, bytes: v4 } : null;
}

// ---------- classification ----------

type Range = [prefix: number[], bits: number, category: AddressCategory];

const V4: Range[] = [
  [[255, 255, 255, 255], 32, "broadcast"],
  [[169, 254, 169, 254], 32, "metadata"], // AWS, GCP, Azure, OpenStack instance metadata
  [[100, 100, 100, 200], 32, "metadata"], // Alibaba Cloud metadata
  [[0, 0, 0, 0], 8, "unspecified"],
  [[10, 0, 0, 0], 8, "private"],
  [[100, 64, 0, 0], 10, "cgnat"],
  [[127, 0, 0, 0], 8, "loopback"],
  [[169, 254, 0, 0], 16, "link-local"],
  [[172, 16, 0, 0], 12, "private"],
  [[192, 0, 0, 0], 24, "reserved"], // IETF protocol assignments
  [[192, 0, 2, 0], 24, "reserved"], // documentation
  [[192, 88, 99, 0], 24, "reserved"], // 6to4 relay anycast
  [[192, 168, 0, 0], 16, "private"],
  [[198, 18, 0, 0], 15, "reserved"], // benchmarking
  [[198, 51, 100, 0], 24, "reserved"],
  [[203, 0, 113, 0], 24, "reserved"],
  [[224, 0, 0, 0], 4, "multicast"],
  [[240, 0, 0, 0], 4, "reserved"],
];

const hex = (s: string) => parseIPv6(s)!;
const V6: Range[] = [
  [hex("::"), 128, "unspecified"],
  [hex("::1"), 128, "loopback"],
  [hex("fd00:ec2::254"), 128, "metadata"], // AWS IPv6 instance metadata
  [hex("64:ff9b:1::"), 48, "private"], // local-use NAT64
  [hex("100::"), 64, "reserved"], // discard-only
  [hex("2001:db8::"), 32, "reserved"], // documentation
  [hex("2001:10::"), 28, "reserved"], // ORCHID
  [hex("fc00::"), 7, "private"], // unique local
  [hex("fe80::"), 10, "link-local"],
  [hex("fec0::"), 10, "private"], // deprecated site-local
  [hex("ff00::"), 8, "multicast"],
];

function inPrefix(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[i / 8] & mask) !== (prefix[i / 8] & mask)) return false;
  }
  return true;
}

function classifyV4(b: number[]): AddressCategory {
  return V4.find(([p, bits]) => inPrefix(b, p, bits))?.[2] ?? "public";
}

const zeros = (b: number[], from: number, to: number) => b.slice(from, to).every((x) => x === 0);

/** The IPv4 address an IPv6 form carries, if it is one of the forms that do. */
function embeddedV4(b: number[]): number[] | null {
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (SIIT)
  if (zeros(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12);
  if (zeros(b, 0, 8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) return b.slice(12);
  // ::a.b.c.d (deprecated compatible); :: and ::1 are classified as themselves
  if (zeros(b, 0, 12) && !(zeros(b, 12, 15) && b[15] <= 1)) return b.slice(12);
  // 64:ff9b::a.b.c.d (well-known NAT64 prefix)
  if (inPrefix(b, hex("64:ff9b::"), 96)) return b.slice(12);
  // 2002:aabb:ccdd::/48 (6to4)
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  // 2001:0000::/32 (Teredo): the client address, obfuscated (bit-inverted) in the last 32 bits
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) return b.slice(12).map((x) => x ^ 0xff);
  return null;
}

function formatV6(b: number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i] << 8) | b[2 * i + 1]).toString(16));
  // longest run of zero groups (length ≥ 2) becomes "::"
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen && j - i >= 2) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}

/** Classifies an address in any textual form. Null when `host` is not an address (a DNS name). */
export function classifyAddress(host: string): Classification | null {
  const parsed = parseAddress(host);
  if (!parsed) return null;
  const { family, bytes } = parsed;
  if (family === 4) return { address: bytes.join("."), family, category: classifyV4(bytes) };
  const address = formatV6(bytes);
  const own = V6.find(([p, bits]) => inPrefix(bytes, p, bits))?.[2];
  if (own) return { address, family, category: own };
  const v4 = embeddedV4(bytes);
  if (v4) {
    const category = classifyV4(v4);
    return { address, family, category, embedded: v4.join(".") };
  }
  return { address, family, category: "public" };
}

// ---------- policy ----------

/** Categories an operator can open to a purpose with FLOWGATE_ALLOW_PRIVATE_URLS. */
const ALLOWABLE: ReadonlySet<AddressCategory> = new Set(["loopback", "private", "link-local", "cgnat"]);

/**
 * FLOWGATE_ALLOW_PRIVATE_URLS: `1` (or `true`, `all`) for every purpose, or a comma list of
 * `endpoint`, `webhook`, `image`, `output`. Read at use, so operators (and tests) can change it.
 */
export function privateAllowed(purpose: Purpose): boolean {
  const v = (process.env.FLOWGATE_ALLOW_PRIVATE_URLS ?? "").trim().toLowerCase();
  if (v === "1" || v === "true" || v === "all") return true;
  return v.split(",").map((s) => s.trim()).includes(purpose);
}

export interface Verdict {
  ok: boolean;
  classification: Classification;
  /** Sentence for error messages when refused. */
  reason?: string;
}

/**
 * May a request made for `purpose` connect to `address`? Public addresses: always. Loopback, private
 * (RFC 1918, ULA), link-local and CGNAT: only when the operator allowed that purpose. Cloud metadata,
 * unspecified, multicast, broadcast and reserved ranges: never. `allowPrivate` overrides the setting
 * (output downloads on the endpoint's own origin use the endpoint's allowance).
 */
export function checkAddress(address: string, purpose: Purpose, opts: { allowPrivate?: boolean } = {}): Verdict {
  const c = classifyAddress(address);
  if (!c) {
    return { ok: false, classification: { address, family: 4, category: "reserved" }, reason: `${address} is not an IP address` };
  }
  if (c.category === "public") return { ok: true, classification: c };
  const what = c.embedded ? `${c.address} (which carries ${c.embedded}) is a ${c.category} address` : `${c.address} is a ${c.category} address`;
  if (ALLOWABLE.has(c.category) && (opts.allowPrivate ?? privateAllowed(purpose))) return { ok: true, classification: c };
  const hint = ALLOWABLE.has(c.category)
    ? `; an operator can allow it with FLOWGATE_ALLOW_PRIVATE_URLS=${purpose}`
    : "; Flowgate never connects to it";
  return { ok: false, classification: c, reason: `${what}${hint}` };
}

/** Thrown (or reported) when the policy refuses a URL or an address. `code` is the API error code. */
export class AddressRefusedError extends Error {
  readonly code = "url_not_allowed";
  constructor(
    message: string,
    readonly details: { url?: string; address?: string; category?: AddressCategory; purpose: Purpose },
  ) {
    super(message);
    this.name = "AddressRefusedError";
  }
}
