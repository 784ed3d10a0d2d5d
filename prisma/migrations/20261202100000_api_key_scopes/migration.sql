-- Scoped API keys (API.md "API keys"): scopes, deployments a run key may run, expiry, a per-key rate
-- limit, the address it was last used from. Keys made before scopes get their role's scopes, so
-- they keep exactly the permissions they had (lib/auth/scopes.ts ROLE_SCOPES).
-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "scopes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "deployments" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "rateLimitPerMinute" INTEGER,
ADD COLUMN     "expiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "lastUsedIp" TEXT;

UPDATE "ApiKey" SET "scopes" = CASE "role"
  WHEN 'admin' THEN ARRAY['admin']
  WHEN 'engineer' THEN ARRAY['read', 'run', 'operate', 'deploy']
  WHEN 'oncall' THEN ARRAY['read', 'run', 'operate', 'audit']
  ELSE ARRAY['read'] END;
