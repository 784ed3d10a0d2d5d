// Prefixed, time-ordered ids (`run_01jd…`): readable in logs, sortable for cursor pagination.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

function encodeTime(ms: number, len = 10): string {
  let out = "";
  for (let i = 0; i < len; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function encodeRandom(len: number): string {
  const bytes = randomBytes(len);
  let out = "";
  for (let i = 0; i < len; i++) out += ALPHABET[bytes[i] % 32];
  return out;
}

export function newId(prefix: string): string {
  return `${prefix}_${encodeTime(Date.now())}${encodeRandom(14)}`;
}
