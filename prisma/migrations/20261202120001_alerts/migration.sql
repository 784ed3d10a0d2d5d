-- On-call alerts: settings (one row) and each condition's state (dedup + recovery messages).
CREATE TABLE "AlertSettings" (
    "id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "stuckAfterSeconds" INTEGER NOT NULL DEFAULT 300,
    "failureRatePercent" INTEGER NOT NULL DEFAULT 20,
    "failureMinRuns" INTEGER NOT NULL DEFAULT 5,
    "webhookUrl" TEXT,
    "webhookSecretEncrypted" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AlertSettings_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AlertState" (
    "key" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "href" TEXT,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "lastSentAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AlertState_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "AlertState_active_idx" ON "AlertState"("active");
