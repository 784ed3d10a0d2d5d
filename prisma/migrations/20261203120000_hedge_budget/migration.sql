-- Per-deployment cap on the extra GPU time lateness hedges may cost (% of the deployment's; 0 disables
-- them; NULL = the Flowgate default, FLOWGATE_HEDGE_BUDGET).
ALTER TABLE "Deployment" ADD COLUMN "hedgeBudgetPercent" INTEGER;
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_hedgeBudgetPercent_check" CHECK ("hedgeBudgetPercent" IS NULL OR ("hedgeBudgetPercent" >= 0 AND "hedgeBudgetPercent" <= 100));
