// Audit records: who did what to which thing. Written inside the caller's transaction.
import type { Actor } from "@/lib/auth/actor";
import { newId } from "@/lib/ids";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = { auditLog: { create: (args: { data: Prisma.AuditLogUncheckedCreateInput }) => Promise<unknown> } };

export function audit(tx: Tx, actor: Actor, action: string, target: { type: string; id?: string | null }, data?: Record<string, unknown>) {
  return tx.auditLog.create({
    data: {
      id: newId("aud"),
      actorType: actor.type,
      actorId: actor.id,
      action,
      targetType: target.type,
      targetId: target.id ?? null,
      data: (data ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
}
