// Audit records: who did what to which thing, and how it went. Written inside the caller's
// transaction (pass the `tx` of the mutation), so a change and its row commit or roll back together.
// Actions that call a provider write "pending" first (`audit(..., { outcome: "pending" })`), then
// `setAuditOutcome` after the call.
import type { Actor } from "@/lib/auth/actor";
import { newId } from "@/lib/ids";
import type { Prisma } from "@/lib/generated/prisma/client";
import { actorName } from "./actor-name";

export type AuditOutcome = "ok" | "failed" | "pending";

type Tx = {
  auditLog: {
    create: (args: { data: Prisma.AuditLogUncheckedCreateInput }) => Promise<{ id: string }>;
  };
};

export interface AuditExtra {
  outcome?: AuditOutcome;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

const json = (v: unknown) => (v === undefined ? undefined : (v as Prisma.InputJsonValue));

/**
 * One audit row. `details` is free-form context (never secrets). `before`/`after` may be given in
 * `extra` or, for callers that keep a diff together, as `details.before` / `details.after`.
 */
export function audit(tx: Tx, actor: Actor, action: string, target: { type: string; id?: string | null }, details?: Record<string, unknown>, extra: AuditExtra = {}) {
  const { before, after, ...rest } = details ?? {};
  return tx.auditLog.create({
    data: {
      id: newId("aud"),
      actorType: actor.type,
      actorId: actor.id,
      actorName: actorName(actor),
      action,
      targetType: target.type,
      targetId: target.id ?? null,
      outcome: extra.outcome ?? "ok",
      before: json(extra.before ?? (before as Record<string, unknown> | undefined)),
      after: json(extra.after ?? (after as Record<string, unknown> | undefined)),
      data: details && Object.keys(rest).length ? json(rest) : undefined,
    },
  });
}

type OutcomeTx = { auditLog: { update: (args: { where: { id: string }; data: Prisma.AuditLogUncheckedUpdateInput }) => Promise<unknown> } };

/** Record how a pending action went (and what it reported). */
export function setAuditOutcome(tx: OutcomeTx, id: string, outcome: Exclude<AuditOutcome, "pending">, details?: Record<string, unknown>) {
  return tx.auditLog.update({ where: { id }, data: { outcome, ...(details ? { data: json(details) } : {}) } });
}

/**
 * The same row as a CTE for raw SQL hot paths (run creation): `INSERT … SELECT … FROM <source>`, so it
 * is written in the same statement only when the source CTE produced a row. Parameters are appended
 * to `args`; `target.idSql` (and `beforeSql`) are SQL expressions over `source` (e.g. `id`).
 */
export function auditInsertSql(args: unknown[], actor: Actor, action: string, target: { type: string; idSql: string }, source: string, extra: AuditExtra & { details?: Record<string, unknown>; beforeSql?: string } = {}) {
  const p = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  const j = (v: unknown) => (v === undefined ? "NULL" : `${p(JSON.stringify(v))}::jsonb`);
  return `INSERT INTO "AuditLog" (id, "actorType", "actorId", "actorName", action, "targetType", "targetId", outcome, before, after, data)
       SELECT ${p(newId("aud"))}, ${p(actor.type)}, ${p(actor.id)}, ${p(actorName(actor))}, ${p(action)}, ${p(target.type)}, ${target.idSql}, ${p(extra.outcome ?? "ok")}, ${extra.beforeSql ?? j(extra.before)}, ${j(extra.after)}, ${j(extra.details)}
       FROM ${source}`;
}
