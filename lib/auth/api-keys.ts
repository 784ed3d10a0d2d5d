// API keys look like fg_<prefix>_<secret>. Only sha256(secret) is stored; the prefix finds the row.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import type { Role } from "./roles";

export interface KeyActor {
  type: "apiKey";
  id: string;
  name: string;
  role: Role;
}

const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

export async function createApiKey(input: { name: string; role: Role; userId?: string | null }) {
  const prefix = randomBytes(6).toString("hex");
  const secret = randomBytes(24).toString("base64url");
  const row = await db().apiKey.create({
    data: { id: newId("key"), name: input.name, role: input.role, prefix, hash: hashSecret(secret), userId: input.userId ?? null },
  });
  return { id: row.id, name: row.name, role: row.role as Role, key: `fg_${prefix}_${secret}` };
}

export async function verifyApiKey(token: string): Promise<KeyActor | null> {
  const m = /^fg_([0-9a-f]{12})_([A-Za-z0-9_-]{16,128})$/.exec(token.trim());
  if (!m) return null;
  const row = await db().apiKey.findUnique({ where: { prefix: m[1] } });
  if (!row || row.revokedAt) return null;
  const a = Buffer.from(row.hash, "hex");
  const b = Buffer.from(hashSecret(m[2]), "hex");
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  // Best effort, not on the request's critical path.
  void db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  return { type: "apiKey", id: row.id, name: row.name, role: row.role as Role };
}
