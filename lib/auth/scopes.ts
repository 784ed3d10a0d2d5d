// API key scopes: what a key may do, as sets of the Permissions in roles.ts. Every check stays
// `requirePermission(actor, permission)`; a key's scopes only decide which permissions it holds.
//
//   read     read everything a viewer can (deployments, runs, outputs, endpoints, workflows)
//   run      read + create/cancel/retry runs (runs:write), on every deployment or only the key's
//            `deployments` (enforced in the run-creating verbs: createRun, retryRun)
//   operate  read + on-call endpoint actions (restart, purge, drain, enable)
//   deploy   read + upload workflows, create/edit deployments and endpoints
//   audit    read + the audit log
//   admin    everything, including managing users' keys
//
// A role is a set of scopes (ROLE_SCOPES), so `--role R` keys and the keys made before scopes
// existed hold exactly their role's permissions.
import { z } from "zod";
import type { Permission, Role } from "./roles";

export const SCOPES = ["read", "run", "operate", "deploy", "audit", "admin"] as const;
export type Scope = (typeof SCOPES)[number];
export const ScopeSchema = z.enum(SCOPES);

export const SCOPE_GRANTS: Record<Scope, readonly Permission[]> = {
  read: ["read"],
  run: ["read", "runs:write"],
  operate: ["read", "endpoints:operate"],
  deploy: ["read", "workflows:write", "deployments:write", "endpoints:write"],
  audit: ["read", "audit:read"],
  admin: ["read", "runs:write", "workflows:write", "deployments:write", "endpoints:write", "endpoints:operate", "audit:read", "admin"],
};

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  read: "Read deployments, runs, outputs, endpoints and workflows",
  run: "Read, and start, cancel and retry runs (optionally only on listed deployments)",
  operate: "Read, and on-call endpoint actions (restart, purge, drain, enable)",
  deploy: "Read, upload workflows, create and edit deployments and endpoints",
  audit: "Read, and the audit log",
  admin: "Everything, including API keys",
};

export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: ["admin"],
  engineer: ["read", "run", "operate", "deploy"],
  oncall: ["read", "run", "operate", "audit"],
  viewer: ["read"],
};

export function scopesGrant(scopes: readonly string[], permission: Permission): boolean {
  return scopes.some((s) => (SCOPE_GRANTS as Record<string, readonly Permission[] | undefined>)[s]?.includes(permission));
}

export function permissionsOf(scopes: readonly string[]): Permission[] {
  return [...new Set(scopes.flatMap((s) => (SCOPE_GRANTS as Record<string, readonly Permission[] | undefined>)[s] ?? []))];
}

/** Scopes sorted and deduplicated, in SCOPES order. */
export function normalizeScopes(scopes: readonly Scope[]): Scope[] {
  return SCOPES.filter((s) => scopes.includes(s));
}

/** The narrowest role holding every permission of `scopes` (stored in the key's role column, shown for old clients). */
export function roleForScopes(scopes: readonly Scope[]): Role {
  const perms = permissionsOf(scopes);
  const order: Role[] = ["viewer", "oncall", "engineer", "admin"];
  return order.find((r) => perms.every((p) => scopesGrant(ROLE_SCOPES[r], p))) ?? "admin";
}
