// API keys look like fg_<prefix>_<secret>. Only sha256(secret) is stored; the prefix finds the row.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import type { Role } from "./roles";
import { requirePermission, systemActor, type Actor } from "./actor";
import { audit } from "@/lib/audit/record";
import { notFound } from "@/lib/errors";

export interface KeyActor {
  type: "apiKey";
  id: string;
  name: string;
  role: Role;
}

const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

/**
 * A new key (shown once). Audited as `apikey.create` by `actor` (the CLI creates keys as the system).
 * Never records the key or its hash.
 */
export async function createApiKey(input: { name: string; role: Role; userId?: string | null }, actor: Actor = systemActor) {
  const prefix = randomBytes(6).toString("hex");
  const secret = randomBytes(24).toString("base64url");
  const row = await db().$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: { id: newId("key"), name: input.name, role: input.role, prefix, hash: hashSecret(secret), userId: input.userId ?? null },
    });
    await audit(tx, actor, "apikey.create", { type: "apiKey", id: row.id }, undefined, { after: { name: row.name, role: row.role, prefix } });
    return row;
  });
  return { id: row.id, name: row.name, role: row.role as Role, key: `fg_${prefix}_${secret}` };
}

/** Revoke a key: it stops working at once. Audited as `apikey.revoke`; revoking twice changes nothing and writes nothing. */
export async function revokeApiKey(actor: Actor, id: string) {
  requirePermission(actor, "admin");
  return db().$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id } });
    if (!key) throw notFound("API key", id);
    if (key.revokedAt) return key;
    const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await audit(tx, actor, "apikey.revoke", { type: "apiKey", id }, { name: key.name }, { before: { revokedAt: null }, after: { revokedAt: revoked.revokedAt!.toISOString() } });
    return revoked;
  });
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
