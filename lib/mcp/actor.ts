// Who an MCP tool call acts as: the API key's holder, as an `mcp` actor (audit rows read
// `agent "<key name>"`, actorType "mcp"), keeping every field of the key actor (its role and, with
// scoped keys, its scopes and deployments) so permission checks see the same key.
import { requirePermission, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/roles";

export function mcpActor(actor: Actor): Actor {
  if (actor.type === "mcp" || actor.type === "system") return actor;
  const name = actor.type === "user" ? actor.email : actor.name;
  return { ...actor, type: "mcp", name } as Actor;
}

/**
 * May this actor use a tool needing `permission`? The same answer requirePermission gives (a key
 * sees only the tools it could call).
 */
// TODO(keys): switch to hasPermission(actor, permission) from lib/auth/actor.ts once scoped keys land.
export function allows(actor: Actor, permission: Permission): boolean {
  try {
    requirePermission(actor, permission);
    return true;
  } catch {
    return false;
  }
}
