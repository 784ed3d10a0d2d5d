// How an audit row names who acted, in words a person recognises (stored with the row, so a renamed
// key or user still reads as it was called when it acted).
import type { Actor } from "@/lib/auth/actor";

export function actorName(actor: Actor): string {
  if (actor.type === "user") return actor.email;
  if (actor.type === "apiKey") return `API key "${actor.name}"`;
  if (actor.type === "mcp") return `agent "${actor.name}"`;
  return "Flowgate (system)";
}
