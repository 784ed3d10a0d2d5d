// Outbound URLs chosen by users (webhooks, image inputs, endpoint base URLs) must not reach
// loopback, private or link-local addresses unless an operator allows it.
import dns from "node:dns/promises";
import net from "node:net";
import { ApiError } from "@/lib/errors";

const PRIVATE_V4: [string, number][] = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
];

function v4ToInt(ip: string) {
  return ip.split(".").reduce((a, b) => (a << 8) + Number(b), 0) >>> 0;
}

export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const n = v4ToInt(ip);
    return PRIVATE_V4.some(([base, bits]) => (n >>> (32 - bits)) === (v4ToInt(base) >>> (32 - bits)));
  }
  const lower = ip.toLowerCase();
  if (lower === "::1" || lower === "::") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return isPrivateAddress(mapped[1]);
  return /^(fc|fd|fe8|fe9|fea|feb)/.test(lower);
}

/** Operators allow private targets (e.g. a ComfyUI on the LAN) with FLOWGATE_ALLOW_PRIVATE_URLS=1. */
export function privateUrlsAllowed(kind: "endpoint" | "webhook" | "image"): boolean {
  const v = process.env.FLOWGATE_ALLOW_PRIVATE_URLS ?? "";
  return v === "1" || v === "true" || v.split(",").includes(kind);
}

export async function assertPublicUrl(raw: string, kind: "endpoint" | "webhook" | "image"): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiError("url_not_allowed", `${JSON.stringify(raw)} is not a valid URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ApiError("url_not_allowed", `Only http(s) URLs are allowed (got ${url.protocol}).`);
  }
  if (privateUrlsAllowed(kind)) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addrs = net.isIP(host) ? [host] : await dns.lookup(host, { all: true }).then((r) => r.map((a) => a.address)).catch(() => []);
  if (addrs.length === 0) throw new ApiError("url_not_allowed", `The host ${host} could not be resolved.`);
  const bad = addrs.find(isPrivateAddress);
  if (bad) {
    throw new ApiError(
      "url_not_allowed",
      `${url.origin} resolves to ${bad}, a loopback/private/link-local address, which is refused. An operator can allow it with FLOWGATE_ALLOW_PRIVATE_URLS=${kind}.`,
      { url: url.origin, address: bad },
    );
  }
  return url;
}
