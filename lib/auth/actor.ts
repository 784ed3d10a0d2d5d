// The caller of any verb in lib/: who they are and what they may do. Route handlers, the CLI,
// MCP tools and the worker all pass one of these, so every path checks permissions the same way.
import { ApiError } from "@/lib/errors";
import { can, type Permission, type Role } from "./roles";

export type Actor =
  | { type: "user"; id: string; email: string; role: Role }
  | { type: "apiKey"; id: string; name: string; role: Role }
  // An AI agent acting through the MCP server, with the role of the key or user it was given.
  | { type: "mcp"; id: string; name: string; role: Role }
  | { type: "system"; id: "system"; role: "admin" };

export const systemActor: Actor = { type: "system", id: "system", role: "admin" };

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new ApiError("forbidden", `Your role (${actor.role}) cannot do this; it needs the "${permission}" permission. Ask an admin for a key or account with a role that has it.`);
  }
}
