-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "stuckAfterSeconds" INTEGER NOT NULL DEFAULT 120;
