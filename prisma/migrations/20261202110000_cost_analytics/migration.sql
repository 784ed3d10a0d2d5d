-- Cost and analytics (README "Cost and analytics"): price snapshots and per-phase cost on attempts
-- and runs, warm capacity and price history on endpoints, monthly budgets on deployments, provider
-- bills, and the hourly rollup the analytics queries read instead of scanning runs.
-- The rollup is kept by triggers, so it changes in the same transaction as the attempt's end or the
-- run's final state, whichever code path writes them (engine, cancel, sweeper).

-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN "workersMin" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN "monthlyBudgetUsd" DECIMAL(12,2),
ADD COLUMN "budgetHardStop" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "costQueueUsd" DECIMAL(14,6) NOT NULL DEFAULT 0,
ADD COLUMN "costColdStartUsd" DECIMAL(14,6) NOT NULL DEFAULT 0,
ADD COLUMN "costUploadUsd" DECIMAL(14,6) NOT NULL DEFAULT 0,
ADD COLUMN "costExecutionUsd" DECIMAL(14,6) NOT NULL DEFAULT 0,
ADD COLUMN "costDownloadUsd" DECIMAL(14,6) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "RunAttempt" ADD COLUMN "pricePerHourUsd" DECIMAL(12,4),
ADD COLUMN "billedMs" INTEGER,
ADD COLUMN "costQueueUsd" DECIMAL(14,6) NOT NULL DEFAULT 0,
ADD COLUMN "costColdStartUsd" DECIMAL(14,6) NOT NULL DEFAULT 0,
ADD COLUMN "costUploadUsd" DECIMAL(14,6) NOT NULL DEFAULT 0,
ADD COLUMN "costExecutionUsd" DECIMAL(14,6) NOT NULL DEFAULT 0,
ADD COLUMN "costDownloadUsd" DECIMAL(14,6) NOT NULL DEFAULT 0;

-- Attempts recorded before this migration: their whole cost was execution (and cold start).
UPDATE "RunAttempt" SET "costExecutionUsd" = "costUsd" WHERE "costUsd" <> 0;
UPDATE "Run" SET "costExecutionUsd" = "costUsd" WHERE "costUsd" <> 0;

-- CreateTable
CREATE TABLE "EndpointPrice" (
    "id" BIGSERIAL NOT NULL,
    "endpointId" TEXT NOT NULL,
    "pricePerHourUsd" DECIMAL(12,4),
    "workersMin" INTEGER NOT NULL,
    "effectiveFrom" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EndpointPrice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderBill" (
    "endpointId" TEXT NOT NULL,
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "bucketEnd" TIMESTAMPTZ(3) NOT NULL,
    "amountUsd" DECIMAL(14,6) NOT NULL,
    "raw" JSONB NOT NULL,
    "fetchedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProviderBill_pkey" PRIMARY KEY ("endpointId","bucketStart")
);

-- CreateTable
CREATE TABLE "AnalyticsHourly" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "shard" INTEGER NOT NULL,
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

    CONSTRAINT "AnalyticsHourly_pkey" PRIMARY KEY ("hour","deploymentId","endpointId","provider","shard")
);


-- CreateIndex
CREATE INDEX "EndpointPrice_endpointId_effectiveFrom_idx" ON "EndpointPrice"("endpointId", "effectiveFrom");

-- CreateIndex
CREATE INDEX "AnalyticsHourly_deploymentId_hour_idx" ON "AnalyticsHourly"("deploymentId", "hour");

-- CreateIndex
CREATE INDEX "AnalyticsHourly_endpointId_hour_idx" ON "AnalyticsHourly"("endpointId", "hour");

-- AddForeignKey
ALTER TABLE "EndpointPrice" ADD CONSTRAINT "EndpointPrice_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "Endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderBill" ADD CONSTRAINT "ProviderBill_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "Endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey

-- Price history: every endpoint's current price from its creation, then every change.
INSERT INTO "EndpointPrice" ("endpointId", "pricePerHourUsd", "workersMin", "effectiveFrom")
SELECT id, "pricePerHourUsd", "workersMin", "createdAt" FROM "Endpoint";

CREATE FUNCTION flowgate_endpoint_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW."pricePerHourUsd" IS DISTINCT FROM OLD."pricePerHourUsd" OR NEW."workersMin" IS DISTINCT FROM OLD."workersMin" THEN
    INSERT INTO "EndpointPrice" ("endpointId", "pricePerHourUsd", "workersMin", "effectiveFrom")
    VALUES (NEW.id, NEW."pricePerHourUsd", NEW."workersMin", CASE WHEN TG_OP = 'INSERT' THEN NEW."createdAt" ELSE now() END);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Endpoint_price_history" AFTER INSERT OR UPDATE ON "Endpoint" FOR EACH ROW EXECUTE FUNCTION flowgate_endpoint_price();

-- Latency histograms: 32 fixed log buckets (lib/analytics/histogram.ts has the same bounds):
-- bucket 1 is < 100 ms, bucket k (2..32) starts at 100 ms * 2^((k-2)/2); the last is open-ended.
CREATE FUNCTION flowgate_hist_inc(h INTEGER[], ms BIGINT) RETURNS INTEGER[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE i INTEGER;
BEGIN
  IF ms IS NULL OR ms < 0 THEN RETURN h; END IF;
  IF h IS NULL OR cardinality(h) < 32 THEN h := array_fill(0, ARRAY[32]); END IF;
  i := CASE WHEN ms < 100 THEN 1 ELSE least(32, 2 + floor(2 * log(2, ms / 100.0))::INTEGER) END;
  h[i] := h[i] + 1;
  RETURN h;
END $$;

-- Element-wise sum of two histograms (for the ON CONFLICT merge).
CREATE FUNCTION flowgate_hist_add(a INTEGER[], b INTEGER[]) RETURNS INTEGER[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN cardinality(a) = 0 THEN b WHEN cardinality(b) = 0 THEN a
    ELSE (SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY n) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, n)) END
$$;

-- A run's final state: its counts and, when it succeeded, its latencies, under the deciding attempt's endpoint.
CREATE FUNCTION flowgate_rollup_run() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE a RECORD; ok BOOLEAN; e2e BIGINT; empty INTEGER[] := ARRAY[]::INTEGER[];
BEGIN
  SELECT "endpointId", provider, "queueMs", "coldStartMs", "executionMs" INTO a FROM "RunAttempt"
   WHERE "runId" = NEW.id ORDER BY (status = 'succeeded') DESC, number DESC LIMIT 1;
  ok := NEW.status = 'succeeded';
  e2e := CASE WHEN ok AND NEW."finishedAt" IS NOT NULL THEN greatest(0, (extract(epoch FROM NEW."finishedAt" - NEW."createdAt") * 1000)::BIGINT) END;
  INSERT INTO "AnalyticsHourly" AS t (hour, "deploymentId", "endpointId", provider, shard, runs, succeeded, failed, canceled, "e2eMsSum", "e2eHist", "queueHist", "coldHist", "execHist")
  VALUES (date_trunc('hour', NEW."createdAt"), NEW."deploymentId", coalesce(a."endpointId", ''), coalesce(a.provider, ''), abs(hashtext(NEW.id)) % 8,
    1, ok::INTEGER, (NEW.status IN ('failed', 'timed_out'))::INTEGER, (NEW.status = 'canceled')::INTEGER, coalesce(e2e, 0),
    flowgate_hist_inc(empty, e2e), flowgate_hist_inc(empty, CASE WHEN ok THEN a."queueMs" END),
    flowgate_hist_inc(empty, CASE WHEN ok THEN a."coldStartMs" END), flowgate_hist_inc(empty, CASE WHEN ok THEN a."executionMs" END))
  ON CONFLICT (hour, "deploymentId", "endpointId", provider, shard) DO UPDATE SET
    runs = t.runs + 1, succeeded = t.succeeded + EXCLUDED.succeeded, failed = t.failed + EXCLUDED.failed, canceled = t.canceled + EXCLUDED.canceled,
    "e2eMsSum" = t."e2eMsSum" + EXCLUDED."e2eMsSum",
    "e2eHist" = flowgate_hist_add(t."e2eHist", EXCLUDED."e2eHist"), "queueHist" = flowgate_hist_add(t."queueHist", EXCLUDED."queueHist"),
    "coldHist" = flowgate_hist_add(t."coldHist", EXCLUDED."coldHist"), "execHist" = flowgate_hist_add(t."execHist", EXCLUDED."execHist");
  RETURN NULL;
END $$;
CREATE TRIGGER "Run_analytics_final" AFTER UPDATE OF status ON "Run" FOR EACH ROW
  WHEN (OLD.status NOT IN ('succeeded', 'failed', 'canceled', 'timed_out') AND NEW.status IN ('succeeded', 'failed', 'canceled', 'timed_out'))
  EXECUTE FUNCTION flowgate_rollup_run();

-- An attempt's end or cost: the attempt count, what kind of extra attempt it was (retry on the same
-- endpoint, failover to another, hedge started while an earlier one was live), and its cost per
-- phase, under the attempt's own endpoint (a failed attempt on A costs money on A); the run's phase
-- costs follow. Every writer that ends an attempt locks its run first, so this never deadlocks.
CREATE FUNCTION flowgate_rollup_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD; ended BOOLEAN; kind TEXT := ''; prev TEXT; d NUMERIC; dq NUMERIC; dc NUMERIC; du NUMERIC; dx NUMERIC; dd NUMERIC;
BEGIN
  SELECT "createdAt", "deploymentId" INTO r FROM "Run" WHERE id = NEW."runId";
  IF NOT FOUND THEN RETURN NULL; END IF;
  ended := OLD.status IN ('pending', 'submitted', 'running') AND NEW.status NOT IN ('pending', 'submitted', 'running');
  IF NEW.number > 1 THEN
    IF EXISTS (SELECT 1 FROM "RunAttempt" p WHERE p."runId" = NEW."runId" AND p.number < NEW.number AND p."createdAt" <= NEW."createdAt" AND (p."finishedAt" IS NULL OR p."finishedAt" > NEW."createdAt")) THEN
      kind := 'hedge';
    ELSE
      SELECT "endpointId" INTO prev FROM "RunAttempt" p WHERE p."runId" = NEW."runId" AND p.number = NEW.number - 1;
      kind := CASE WHEN prev = NEW."endpointId" THEN 'retry' ELSE 'failover' END;
    END IF;
  END IF;
  d := NEW."costUsd" - OLD."costUsd";
  dq := NEW."costQueueUsd" - OLD."costQueueUsd"; dc := NEW."costColdStartUsd" - OLD."costColdStartUsd";
  du := NEW."costUploadUsd" - OLD."costUploadUsd"; dx := NEW."costExecutionUsd" - OLD."costExecutionUsd"; dd := NEW."costDownloadUsd" - OLD."costDownloadUsd";
  INSERT INTO "AnalyticsHourly" AS t (hour, "deploymentId", "endpointId", provider, shard, attempts, retries, failovers, hedges,
    "costUsd", "costQueueUsd", "costColdStartUsd", "costUploadUsd", "costExecutionUsd", "costDownloadUsd",
    "wastedCostUsd", "retryCostUsd", "failoverCostUsd", "hedgeCostUsd", "billedMs", "busyMs")
  VALUES (date_trunc('hour', r."createdAt"), r."deploymentId", NEW."endpointId", NEW.provider, abs(hashtext(NEW."runId")) % 8,
    ended::INTEGER, (ended AND kind = 'retry')::INTEGER, (ended AND kind = 'failover')::INTEGER, (ended AND kind = 'hedge')::INTEGER,
    d, dq, dc, du, dx, dd,
    CASE WHEN NEW.status <> 'succeeded' THEN d ELSE 0 END, CASE WHEN kind = 'retry' THEN d ELSE 0 END,
    CASE WHEN kind = 'failover' THEN d ELSE 0 END, CASE WHEN kind = 'hedge' THEN d ELSE 0 END,
    coalesce(NEW."billedMs", 0) - coalesce(OLD."billedMs", 0),
    CASE WHEN ended THEN coalesce(NEW."executionMs", 0) ELSE 0 END)
  ON CONFLICT (hour, "deploymentId", "endpointId", provider, shard) DO UPDATE SET
    attempts = t.attempts + EXCLUDED.attempts, retries = t.retries + EXCLUDED.retries, failovers = t.failovers + EXCLUDED.failovers, hedges = t.hedges + EXCLUDED.hedges,
    "costUsd" = t."costUsd" + EXCLUDED."costUsd", "costQueueUsd" = t."costQueueUsd" + EXCLUDED."costQueueUsd",
    "costColdStartUsd" = t."costColdStartUsd" + EXCLUDED."costColdStartUsd", "costUploadUsd" = t."costUploadUsd" + EXCLUDED."costUploadUsd",
    "costExecutionUsd" = t."costExecutionUsd" + EXCLUDED."costExecutionUsd", "costDownloadUsd" = t."costDownloadUsd" + EXCLUDED."costDownloadUsd",
    "wastedCostUsd" = t."wastedCostUsd" + EXCLUDED."wastedCostUsd", "retryCostUsd" = t."retryCostUsd" + EXCLUDED."retryCostUsd",
    "failoverCostUsd" = t."failoverCostUsd" + EXCLUDED."failoverCostUsd", "hedgeCostUsd" = t."hedgeCostUsd" + EXCLUDED."hedgeCostUsd",
    "billedMs" = t."billedMs" + EXCLUDED."billedMs", "busyMs" = t."busyMs" + EXCLUDED."busyMs";
  IF dq <> 0 OR dc <> 0 OR du <> 0 OR dx <> 0 OR dd <> 0 THEN
    UPDATE "Run" SET "costQueueUsd" = "costQueueUsd" + dq, "costColdStartUsd" = "costColdStartUsd" + dc, "costUploadUsd" = "costUploadUsd" + du,
      "costExecutionUsd" = "costExecutionUsd" + dx, "costDownloadUsd" = "costDownloadUsd" + dd WHERE id = NEW."runId";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "RunAttempt_analytics" AFTER UPDATE ON "RunAttempt" FOR EACH ROW
  WHEN ((OLD.status IN ('pending', 'submitted', 'running') AND NEW.status NOT IN ('pending', 'submitted', 'running')) OR OLD."costUsd" IS DISTINCT FROM NEW."costUsd")
  EXECUTE FUNCTION flowgate_rollup_attempt();
