-- Runs board: keyset pages (newest first by the time-ordered id) filtered by status or deployment,
-- search by provider job id, and runs by endpoint.
CREATE INDEX "Run_status_id_idx" ON "Run"("status", "id");
CREATE INDEX "Run_deploymentId_id_idx" ON "Run"("deploymentId", "id");
CREATE INDEX "RunAttempt_providerJobId_idx" ON "RunAttempt"("providerJobId");
CREATE INDEX "RunAttempt_endpointId_runId_idx" ON "RunAttempt"("endpointId", "runId");
