// listAudit: the audit trail, newest first, filtered by actor, action, target and time, in pages.
// Read by GET /api/v1/audit and (next) the on-call page.
import { db } from "@/lib/db";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import type { AuditLog, Prisma } from "@/lib/generated/prisma/client";
import { ListAuditInput, type AuditEntry, type ListAuditOutput } from "./list-audit.types";

export async function listAudit({ ctx, input }: VerbArgs<ListAuditInput>): Promise<ListAuditOutput> {
  requirePermission(ctx.actor, "audit:read");
  const q = ListAuditInput.parse(input);
  const where: Prisma.AuditLogWhereInput = {};
  if (q.actor) {
    const i = q.actor.indexOf(":");
    if (i > 0) Object.assign(where, { actorType: q.actor.slice(0, i), actorId: q.actor.slice(i + 1) });
    else where.actorId = q.actor;
  }
  if (q.action) where.action = q.action.endsWith(".*") ? { startsWith: q.action.slice(0, -1) } : q.action;
  if (q.targetType) where.targetType = q.targetType;
  if (q.targetId) where.targetId = q.targetId;
  if (q.since) where.createdAt = { gte: new Date(q.since) };
  // Ids sort by creation time: the cursor is the last id of the previous page.
  if (q.cursor) where.id = { lt: q.cursor };
  const rows = await db().auditLog.findMany({ where, orderBy: { id: "desc" }, take: q.limit + 1 });
  const items = rows.slice(0, q.limit);
  return { items: items.map(serializeAudit), nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
}

const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

export function serializeAudit(r: AuditLog): AuditEntry {
  const details = obj(r.data);
  return {
    id: r.id,
    at: r.createdAt.toISOString(),
    actor: { type: r.actorType, id: r.actorId, name: r.actorName },
    action: r.action,
    target: { type: r.targetType, id: r.targetId },
    outcome: r.outcome as AuditEntry["outcome"],
    ...(obj(r.before) ? { before: obj(r.before) } : {}),
    ...(obj(r.after) ? { after: obj(r.after) } : {}),
    ...(details ? { details } : {}),
  };
}
