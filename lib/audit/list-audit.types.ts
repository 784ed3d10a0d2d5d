// Input and output of listAudit (API.md "Audit"). The route and the on-call page share these.
import { z } from "zod";

export const AUDIT_OUTCOMES = ["ok", "failed", "pending"] as const;

export const ListAuditInput = z.strictObject({
  /** An actor id (`key_…`, a user id, `system`), or `type:id`. */
  actor: z.string().min(1).max(200).optional(),
  /** An action (`run.cancel`), or a family of them (`endpoint.*`). */
  action: z.string().min(1).max(200).optional(),
  targetType: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(200).optional(),
  /** ISO-8601 time: rows at or after it. */
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});
export type ListAuditInput = z.input<typeof ListAuditInput>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  outcome: z.enum(AUDIT_OUTCOMES),
  before: z.record(z.string(), z.unknown()).optional(),
  after: z.record(z.string(), z.unknown()).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ListAuditOutput = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type ListAuditOutput = z.infer<typeof ListAuditOutput>;
