// The context every verb in lib/<noun>/<verb>.ts takes: `verb({ ctx, input })`.
// - actor: who is calling (a user's session, an API key, an MCP agent, or the system itself);
//   verbs check permissions against it, so every adapter (routes, pages, CLI, worker, MCP) is
//   checked the same way.
// - requestId: carried into log lines, so one request's lines can be found together.
// - tx: an optional open transaction; a verb given one runs its queries in it, so verbs compose
//   into one transaction (`db().$transaction((tx) => a({ ctx: { ...ctx, tx }, input }))`).
import { randomUUID } from "node:crypto";
import { db, type Prisma, type PrismaClient } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/auth/actor";
import { log } from "@/lib/log";

export type { Actor } from "@/lib/auth/actor";

export interface Ctx {
  actor: Actor;
  requestId: string;
  tx?: Prisma.TransactionClient;
}

/** A verb's argument: who calls and what they ask for. */
export interface VerbArgs<I> {
  ctx: Ctx;
  input: I;
}

/** The client a verb queries with: the caller's transaction when it has one, else the shared client. */
export function dbOf(ctx: Ctx): Prisma.TransactionClient | PrismaClient {
  return ctx.tx ?? db();
}

/**
 * Run `fn` in the caller's transaction when the context carries one, else in a new transaction: a
 * write verb's change and its audit row commit together, and with the caller's other writes when composed.
 */
export function inTransaction<T>(ctx: Ctx, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return ctx.tx ? fn(ctx.tx) : db().$transaction(fn);
}

export function newRequestId(): string {
  return `req_${randomUUID().replace(/-/g, "").slice(0, 20)}`;
}

/** A context for a request: the request id from `X-Request-Id` when the caller sent a sane one. */
export function requestCtx(actor: Actor, req?: Request): Ctx {
  const given = req?.headers.get("x-request-id");
  const requestId = given && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : newRequestId();
  return { actor, requestId };
}

/** The context of the worker, the CLI, the benches and start-up tasks: the system actor. */
export function systemCtx(requestId: string = newRequestId()): Ctx {
  return { actor: systemActor, requestId };
}

/** A logger whose lines carry the context's request id and actor. */
export function ctxLog(ctx: Ctx) {
  return log.child({ requestId: ctx.requestId, actor: `${ctx.actor.type}:${ctx.actor.id}` });
}
