-- Soft delete of deployments: a deleted deployment is out of service (no new runs) but its row
-- stays, so its runs, their attempts and history keep resolving. Slugs are not reused.
-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "deletedAt" TIMESTAMPTZ(3);
