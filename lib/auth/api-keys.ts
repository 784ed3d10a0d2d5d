// API keys look like fg_<prefix>_<secret>. Only sha256(secret) is stored; the prefix finds the row.
// A key holds scopes (lib/auth/scopes.ts), optionally a list of deployments it may run, an expiry and
// a per-key rate limit. Checking a key is one indexed read; its last-used time and address are
// written off the request's path, at most once a minute per key and address per process.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { db, type Prisma } from "@/lib/db";
import { newId } from "@/lib/ids";
import type { Role } from "./roles";
import { ROLE_SCOPES, normalizeScopes, roleForScopes, type Scope } from "./scopes";
import { systemActor, type Actor } from "./actor";
import { audit } from "@/lib/audit/record";
import { log } from "@/lib/log";

export type KeyActor = Extract<Actor, { type: "apiKey" }> & {
  scopes: readonly Scope[];
  deployments: readonly string[];
  /** Requests per minute allowed for this key; null = FLOWGATE_RATE_LIMIT_API. */
  rateLimitPerMinute: number | null;
};

export const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

type ApiKeyRow = Prisma.ApiKeyGetPayload<object>;

/** The scopes a stored key holds: its own, or (rows older than scopes) its role's. */
export function scopesOfRow(row: Pick<ApiKeyRow, "scopes" | "role">): Scope[] {
  return row.scopes.length ? normalizeScopes(row.scopes as Scope[]) : [...ROLE_SCOPES[row.role as Role]];
}

export interface NewKey {
  name: string;
  scopes: Scope[];
  deployments?: string[];
  expiresAt?: Date | null;
  rateLimitPerMinute?: number | null;
  userId?: string | null;
}

/**
 * Insert a key in `tx` and audit it as `apikey.create` by `actor` (never the secret or its hash).
 * The secret is returned once, as `key`.
 */
export async function insertApiKey(tx: Prisma.TransactionClient, actor: Actor, input: NewKey) {
  const prefix = randomBytes(6).toString("hex");
  const secret = randomBytes(24).toString("base64url");
  const scopes = normalizeScopes(input.scopes);
  const row = await tx.apiKey.create({
    data: {
      id: newId("key"),
      name: input.name,
      role: roleForScopes(scopes),
      scopes,
      deployments: input.deployments ?? [],
      expiresAt: input.expiresAt ?? null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      prefix,
      hash: hashSecret(secret),
      userId: input.userId ?? null,
    },
  });
  await audit(tx, actor, "apikey.create", { type: "apiKey", id: row.id }, undefined, {
    after: { name: row.name, prefix, role: row.role, scopes, deployments: row.deployments, expiresAt: row.expiresAt?.toISOString() ?? null, rateLimitPerMinute: row.rateLimitPerMinute, userId: row.userId },
  });
  return { row, key: `fg_${prefix}_${secret}` };
}

/**
 * A new key (shown once), made by the system (CLI `flowgate apikey create`, tests, seeds): a role's
 * scopes, or scopes given. The dashboard and API create keys through lib/keys/create-api-key.ts.
 */
export async function createApiKey(
  input: { name: string; role?: Role; scopes?: Scope[]; deployments?: string[]; expiresAt?: Date | null; rateLimitPerMinute?: number | null; userId?: string | null },
  actor: Actor = systemActor,
) {
  const scopes = input.scopes ?? [...ROLE_SCOPES[input.role ?? "viewer"]];
  const { row, key } = await db().$transaction((tx) => insertApiKey(tx, actor, { ...input, scopes }));
  return { id: row.id, name: row.name, role: row.role as Role, scopes: row.scopes as Scope[], key };
}

/** Revoke a key as `actor` (see lib/keys/revoke-api-key.ts for the rules). */
export async function revokeApiKey(actor: Actor, id: string) {
  const { revokeApiKey: revoke } = await import("@/lib/keys/revoke-api-key");
  return revoke({ ctx: { actor, requestId: "req_revoke" }, input: { id } });
}

export type KeyCheck = { ok: true; actor: KeyActor } | { ok: false; reason: "invalid" | "revoked" | "expired"; at?: Date };

/** Check a bearer token: the key's actor, or why it is refused. `ip` is recorded as the last-used address. */
export async function checkApiKey(token: string, ip?: string | null): Promise<KeyCheck> {
  const m = /^fg_([0-9a-f]{12})_([A-Za-z0-9_-]{16,128})$/.exec(token.trim());
  if (!m) return { ok: false, reason: "invalid" };
  const row = await db().apiKey.findUnique({ where: { prefix: m[1] } });
  if (!row) return { ok: false, reason: "invalid" };
  const a = Buffer.from(row.hash, "hex");
  const b = Buffer.from(hashSecret(m[2]), "hex");
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: "invalid" };
  if (row.revokedAt) return { ok: false, reason: "revoked", at: row.revokedAt };
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: "expired", at: row.expiresAt };
  touch(row.id, ip && ip !== "unknown" ? ip : null);
  return {
    ok: true,
    actor: { type: "apiKey", id: row.id, name: row.name, role: row.role as Role, scopes: scopesOfRow(row), deployments: row.deployments, rateLimitPerMinute: row.rateLimitPerMinute },
  };
}

/** The key's actor, or null when unknown, mistyped, revoked or expired. */
export async function verifyApiKey(token: string, ip?: string | null): Promise<KeyActor | null> {
  const c = await checkApiKey(token, ip);
  return c.ok ? c.actor : null;
}

const lastTouched = new Map<string, number>();

/** Seconds between last-used writes of one key from one address (per process); FLOWGATE_KEY_LAST_USED_SECONDS. */
function touchEverySeconds(): number {
  const n = Number(process.env.FLOWGATE_KEY_LAST_USED_SECONDS ?? 60);
  return Number.isFinite(n) && n >= 0 ? n : 60;
}

/** Best effort, not on the request's critical path: one UPDATE per key and address per minute. */
function touch(id: string, ip: string | null) {
  const k = `${id}|${ip ?? ""}`;
  const now = Date.now();
  const every = touchEverySeconds() * 1000;
  if (now - (lastTouched.get(k) ?? 0) < every) return;
  lastTouched.set(k, now);
  if (lastTouched.size > 10_000) lastTouched.clear();
  void db()
    .apiKey.update({ where: { id }, data: { lastUsedAt: new Date(now), ...(ip ? { lastUsedIp: ip.slice(0, 64) } : {}) } })
    .catch((err) => log.warn("could not record an API key's last use", { keyId: id, err: (err as Error).message }));
}
