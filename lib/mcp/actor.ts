// Who an MCP tool call acts as: the API key's holder as an `mcp` actor (audit rows read
// `agent "<key name>"`, actorType "mcp"), with the key's scopes and deployments, so permission
// checks see the same key. Both answers come from lib/auth, the one place permissions are decided.
import { hasPermission, mcpActorFor, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/roles";

export const mcpActor = (actor: Actor): Actor => mcpActorFor(actor);

/** May this actor use a tool needing `permission`? A key sees only the tools it could call. */
export const allows = (actor: Actor, permission: Permission): boolean => hasPermission(actor, permission);
