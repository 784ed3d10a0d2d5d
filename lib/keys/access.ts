// Who may manage which API keys: an admin (role or scope) every key; a signed-in user their own keys,
// with scopes no wider than their role; any other key none (a key cannot mint keys unless it is an
// admin key), so a leaked key cannot widen itself.
import { hasPermission, type Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/roles";
import { permissionsOf, type Scope } from "@/lib/auth/scopes";
import { ApiError } from "@/lib/errors";

export type KeyAccess = { all: true } | { all: false; userId: string };

export function keyAccess(actor: Actor): KeyAccess {
  if (hasPermission(actor, "admin")) return { all: true };
  if (actor.type === "user") return { all: false, userId: actor.id };
  throw new ApiError("forbidden", "Only an admin key can manage API keys. Sign in to the dashboard to manage your own keys, or use an admin key.", { permission: "admin" });
}

/** 403 unless a user may hand out these scopes (every permission they grant is one the user's role has). */
export function requireGrantable(actor: Actor, scopes: readonly Scope[]): void {
  if (hasPermission(actor, "admin")) return;
  const beyond = permissionsOf(scopes).filter((p) => !can(actor.role, p));
  if (beyond.length) {
    throw new ApiError("forbidden", `Your role (${actor.role}) cannot create a key with scopes ${scopes.join(", ")}: they grant ${beyond.join(", ")}, which your role does not have.`, { beyond, scopes: [...scopes] });
  }
}
