// Secrets at rest (endpoint API keys, webhook secrets): AES-256-GCM with a key derived from
// FLOWGATE_SECRET_KEY. Stored as "v1.<iv>.<tag>.<ciphertext>" (base64url). Never logged.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

function key(): Buffer {
  const raw = process.env.FLOWGATE_SECRET_KEY;
  if (!raw) throw new Error("FLOWGATE_SECRET_KEY is not set (npm run dev generates one into .data/)");
  // Accept a 32-byte base64 key as is; derive from anything else so a passphrase also works.
  const b = Buffer.from(raw, "base64");
  return b.length === 32 ? b : createHash("sha256").update(raw).digest();
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", iv.toString("base64url"), tag.toString("base64url"), ct.toString("base64url")].join(".");
}

export function decryptSecret(stored: string): string {
  const [v, iv, tag, ct] = stored.split(".");
  if (v !== "v1" || !iv || !tag || ct === undefined) throw new Error("unrecognised secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

export function generateSecretKey(): string {
  return randomBytes(32).toString("base64");
}
