-- Rollup compaction (README "Cost and analytics", Rollups): the triggers keep writing the 8-shard
-- rows of AnalyticsHourly; a worker pass (lib/analytics/compact-rollups.ts) moves every shard row of an
-- hour older than 2 h, in one transaction, into one row per hour (AnalyticsHourlyCompacted) and one
-- row per UTC day (AnalyticsDaily), adding to what is there and deleting the shard rows. A late
-- increment into an old hour lands in a fresh shard row and is folded by the next pass; readers sum
-- all three tables over disjoint time pieces, so the answer is the same before and after a pass.

-- CreateTable
CREATE TABLE "AnalyticsHourlyCompacted" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "canceled" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "failovers" INTEGER NOT NULL DEFAULT 0,
    "hedges" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costQueueUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costColdStartUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costUploadUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costExecutionUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costDownloadUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "wastedCostUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "retryCostUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "failoverCostUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "hedgeCostUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "billedMs" BIGINT NOT NULL DEFAULT 0,
    "busyMs" BIGINT NOT NULL DEFAULT 0,
    "e2eMsSum" BIGINT NOT NULL DEFAULT 0,
    "e2eHist" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "queueHist" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "coldHist" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "execHist" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],

    CONSTRAINT "AnalyticsHourlyCompacted_pkey" PRIMARY KEY ("hour","deploymentId","endpointId","provider")
);

-- CreateTable
CREATE TABLE "AnalyticsDaily" (
    "day" TIMESTAMPTZ(3) NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "canceled" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "failovers" INTEGER NOT NULL DEFAULT 0,
    "hedges" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costQueueUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costColdStartUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costUploadUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costExecutionUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "costDownloadUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "wastedCostUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "retryCostUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "failoverCostUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "hedgeCostUsd" DECIMAL(16,6) NOT NULL DEFAULT 0,
    "billedMs" BIGINT NOT NULL DEFAULT 0,
    "busyMs" BIGINT NOT NULL DEFAULT 0,
    "e2eMsSum" BIGINT NOT NULL DEFAULT 0,
    "e2eHist" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "queueHist" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "coldHist" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "execHist" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],

    CONSTRAINT "AnalyticsDaily_pkey" PRIMARY KEY ("day","deploymentId","endpointId","provider")
);

-- CreateIndex
CREATE INDEX "AnalyticsHourlyCompacted_deploymentId_hour_idx" ON "AnalyticsHourlyCompacted"("deploymentId", "hour");

-- CreateIndex
CREATE INDEX "AnalyticsDaily_deploymentId_day_idx" ON "AnalyticsDaily"("deploymentId", "day");
