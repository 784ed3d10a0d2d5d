// Signed, expiring links: an HMAC-SHA256 (keyed from FLOWGATE_SECRET_KEY, separated by purpose) of
// what the link opens and when it stops working. A holder of the link needs no API key, so a link
// names exactly one thing and expires; changing any part of it (or the key) breaks the signature.
import { createHmac, timingSafeEqual } from "node:crypto";

function key(): string {
  const k = process.env.FLOWGATE_SECRET_KEY;
  if (!k) throw new Error("FLOWGATE_SECRET_KEY is not set (npm run dev generates one into .data/)");
  return k;
}

/** The signature of `subject` (e.g. "run-output:run_…/out_…") valid until `exp` (Unix seconds). */
export function signLink(subject: string, exp: number): string {
  return createHmac("sha256", key()).update(`signed-link:v1:${subject}:${exp}`).digest("base64url");
}

export type LinkCheck = { ok: true } | { ok: false; reason: "signature_invalid" | "link_expired" };

/** Checks the signature first (so a forged link never learns whether it expired), then the time. */
export function verifyLink(subject: string, exp: number, sig: string | null | undefined, now = Date.now()): LinkCheck {
  if (!sig || !Number.isSafeInteger(exp)) return { ok: false, reason: "signature_invalid" };
  const a = Buffer.from(signLink(subject, exp));
  const b = Buffer.from(sig);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: "signature_invalid" };
  if (exp * 1000 < now) return { ok: false, reason: "link_expired" };
  return { ok: true };
}
