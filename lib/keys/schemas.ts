// API keys as the API, the dashboard, the CLI and the MCP server see them (API.md "API keys").
// Shared by createApiKey / listApiKeys / revokeApiKey; never carries the secret or its hash, except
// the one `key` field of a create answer.
import { z } from "zod";
import { ScopeSchema, ROLE_SCOPES, type Scope } from "@/lib/auth/scopes";
import { ROLES, type Role } from "@/lib/auth/roles";
import { SLUG_PATTERN } from "@/lib/deployments/slug";
import type { Prisma } from "@/lib/db";

const Iso = z.iso.datetime({ offset: true });

export const API_KEY_STATUSES = ["active", "expired", "revoked"] as const;

export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first part of the key (`fg_<prefix>_…`), to tell keys apart. */
  prefix: z.string(),
  scopes: z.array(ScopeSchema),
  /** Deployments (slugs) a run key may run; empty = all. */
  deployments: z.array(z.string()),
  /** The narrowest role holding the key's permissions (keys made with `--role`). */
  role: z.enum(ROLES),
  rateLimitPerMinute: z.int().nullable(),
  status: z.enum(API_KEY_STATUSES),
  owner: z.object({ id: z.string(), email: z.string() }).nullable(),
  createdAt: Iso,
  expiresAt: Iso.nullable(),
  lastUsedAt: Iso.nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: Iso.nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreatedApiKeySchema = ApiKeySchema.extend({
  /** The key itself: shown once, never stored (only a hash is). */
  key: z.string(),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

export const ApiKeyListSchema = z.object({ items: z.array(ApiKeySchema), nextCursor: z.string().nullable() });
export type ApiKeyList = z.infer<typeof ApiKeyListSchema>;

type Row = Prisma.ApiKeyGetPayload<{ include: { user: { select: { id: true; email: true } } } }>;

export function serializeApiKey(row: Row, now = Date.now()): ApiKey {
  const scopes = (row.scopes.length ? row.scopes : ROLE_SCOPES[row.role as Role]) as Scope[];
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: [...scopes],
    deployments: row.deployments,
    role: row.role as Role,
    rateLimitPerMinute: row.rateLimitPerMinute,
    status: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt.getTime() <= now ? "expired" : "active",
    owner: row.user ? { id: row.user.id, email: row.user.email } : null,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: row.lastUsedIp,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export const keyInclude = { user: { select: { id: true, email: true } } } as const;

export const DeploymentSlug = z.string().regex(SLUG_PATTERN, "a deployment slug (lower-case letters, digits and dashes)");
