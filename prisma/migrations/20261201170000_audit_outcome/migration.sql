-- Audit rows as first-class records (API.md "Audit"): who acted, by name as people know them; the
-- outcome of actions that call a provider (written "pending" before the call, then "ok" or
-- "failed"); what changed (before/after, never secrets). Rows written before this migration were
-- all completed actions, so they read as "ok".
-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "actorName" TEXT,
ADD COLUMN     "outcome" TEXT NOT NULL DEFAULT 'ok',
ADD COLUMN     "before" JSONB,
ADD COLUMN     "after" JSONB;

-- Old on-call rows recorded their outcome in data.
UPDATE "AuditLog" SET "outcome" = data->>'outcome' WHERE data->>'outcome' IN ('ok', 'failed', 'pending');
UPDATE "AuditLog" SET "action" = left("action", length("action") - 7) WHERE "action" LIKE 'endpoint.%.failed';
UPDATE "AuditLog" SET "actorName" = data->>'actorName' WHERE data ? 'actorName';

-- CreateIndex
CREATE INDEX "AuditLog_actorType_actorId_createdAt_idx" ON "AuditLog"("actorType", "actorId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_action_createdAt_idx" ON "AuditLog"("action", "createdAt");
