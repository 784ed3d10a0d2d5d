// The caller of any verb in lib/: who they are and what they may do. Route handlers, the CLI,
// MCP tools and the worker all pass one of these, so every path checks permissions the same way.
import { ApiError } from "@/lib/errors";
import { can, type Permission, type Role } from "./roles";
import { scopesGrant, type Scope } from "./scopes";

/**
 * What an API key carries besides its role: its scopes (which decide its permissions when present,
 * lib/auth/scopes.ts) and the deployments a `run` key is limited to (empty or absent = all).
 */
export interface KeyGrants {
  scopes?: readonly Scope[];
  deployments?: readonly string[];
}

export type Actor =
  | { type: "user"; id: string; email: string; role: Role }
  | ({ type: "apiKey"; id: string; name: string; role: Role } & KeyGrants)
  // An AI agent acting through the MCP server, with the role (and scopes) of the key or user it was given.
  | ({ type: "mcp"; id: string; name: string; role: Role } & KeyGrants)
  | { type: "system"; id: "system"; role: "admin" };

export const systemActor: Actor = { type: "system", id: "system", role: "admin" };

/** Whether the actor holds the permission: a key's scopes when it has them, else its role. */
export function hasPermission(actor: Actor, permission: Permission): boolean {
  if ((actor.type === "apiKey" || actor.type === "mcp") && actor.scopes) return scopesGrant(actor.scopes, permission);
  return can(actor.role, permission);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (hasPermission(actor, permission)) return;
  if ((actor.type === "apiKey" || actor.type === "mcp") && actor.scopes) {
    throw new ApiError("forbidden", `This API key's scopes (${actor.scopes.join(", ") || "none"}) do not allow this; it needs the "${permission}" permission. Create a key with a scope that grants it (API keys page or \`flowgate keys create\`).`, { permission, scopes: [...actor.scopes] });
  }
  throw new ApiError("forbidden", `Your role (${actor.role}) cannot do this; it needs the "${permission}" permission. Ask an admin for a key or account with a role that has it.`);
}

/** The deployments the actor may run: null = all. */
export function runnableDeployments(actor: Actor): readonly string[] | null {
  if ((actor.type === "apiKey" || actor.type === "mcp") && actor.deployments?.length) return actor.deployments;
  return null;
}

/** 403 deployment_not_allowed unless the actor may run `slug` (keys limited to listed deployments). */
export function requireDeployment(actor: Actor, slug: string): void {
  const allowed = runnableDeployments(actor);
  if (!allowed || allowed.includes(slug)) return;
  throw new ApiError("deployment_not_allowed", `This API key may only run ${allowed.map((s) => `"${s}"`).join(", ")}; it cannot run deployment "${slug}".`, { deployment: slug, allowed: [...allowed] });
}

/**
 * The MCP actor for a caller authenticated with a key (or a session): same id, name, role, and the
 * key's scopes and deployment limit carried over, so tools are checked exactly as the API would check
 * the key. Build MCP actors with this, never from the role alone (a `run` key's role is oncall).
 */
export function mcpActorFor(actor: Actor): Actor {
  if (actor.type === "mcp" || actor.type === "system") return actor;
  if (actor.type === "user") return { type: "mcp", id: actor.id, name: actor.email, role: actor.role };
  return { type: "mcp", id: actor.id, name: actor.name, role: actor.role, scopes: actor.scopes, deployments: actor.deployments };
}
