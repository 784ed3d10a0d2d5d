// On-call alert settings (one row, "default"): thresholds and the alert webhook. Read by the
// overview (stuck threshold), the alert evaluator and the dashboard's Alerts page.
import { randomBytes } from "node:crypto";
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { db } from "@/lib/db";
import { audit } from "@/lib/audit/record";
import { encryptSecret } from "@/lib/crypto/secrets";
import { assertAllowedUrl } from "@/lib/net/check-url";
import { ActiveAlert, UpdateAlertSettingsInput, type AlertSettings, type Alerts } from "./alert-settings.types";
import type { z } from "zod";

const ID = "default";
export const ALERT_DEFAULTS = { enabled: true, stuckAfterSeconds: 300, failureRatePercent: 20, failureMinRuns: 5 } as const;

type Row = { enabled: boolean; stuckAfterSeconds: number; failureRatePercent: number; failureMinRuns: number; webhookUrl: string | null; webhookSecretEncrypted: string | null; updatedAt: Date | null };

function view(row: Row | null): AlertSettings {
  return {
    enabled: row?.enabled ?? ALERT_DEFAULTS.enabled,
    stuckAfterSeconds: row?.stuckAfterSeconds ?? ALERT_DEFAULTS.stuckAfterSeconds,
    failureRatePercent: row?.failureRatePercent ?? ALERT_DEFAULTS.failureRatePercent,
    failureMinRuns: row?.failureMinRuns ?? ALERT_DEFAULTS.failureMinRuns,
    webhookUrl: row?.webhookUrl ?? null,
    hasWebhookSecret: Boolean(row?.webhookSecretEncrypted),
    updatedAt: row?.updatedAt?.toISOString() ?? null,
  };
}

/** The settings row, with the encrypted secret (for the evaluator only). */
export async function loadAlertSettings(ctx: VerbArgs<unknown>["ctx"]) {
  return dbOf(ctx).alertSettings.findUnique({ where: { id: ID } });
}

export async function getAlertSettings({ ctx }: VerbArgs<Record<string, never>>): Promise<AlertSettings> {
  requirePermission(ctx.actor, "read");
  return view(await loadAlertSettings(ctx));
}

/** GET /api/v1/alerts: the settings and the alerts firing now (the dashboard's banners). */
export async function listAlerts({ ctx }: VerbArgs<Record<string, never>>): Promise<Alerts> {
  requirePermission(ctx.actor, "read");
  const [settings, rows] = await Promise.all([loadAlertSettings(ctx), dbOf(ctx).alertState.findMany({ where: { active: true }, orderBy: { since: "asc" } })]);
  return {
    settings: view(settings),
    active: rows.map(
      (r): z.output<typeof ActiveAlert> => ({
        key: r.key,
        severity: r.severity === "critical" ? "critical" : "warning",
        message: r.message,
        href: r.href,
        since: r.since.toISOString(),
        lastSentAt: r.lastSentAt?.toISOString() ?? null,
        lastError: r.lastError,
      }),
    ),
  };
}

/** PATCH /api/v1/alerts: on-call and admin edit thresholds and the webhook (audited, secret never recorded). */
export async function updateAlertSettings({ ctx, input }: VerbArgs<UpdateAlertSettingsInput>): Promise<AlertSettings> {
  requirePermission(ctx.actor, "endpoints:operate");
  const { rotateWebhookSecret, ...fields } = UpdateAlertSettingsInput.parse(input);
  if (fields.webhookUrl) await assertAllowedUrl(fields.webhookUrl, "webhook");
  const before = await loadAlertSettings(ctx);
  const newSecret = rotateWebhookSecret || (fields.webhookUrl && !before?.webhookSecretEncrypted) ? `whsec_${randomBytes(24).toString("base64")}` : undefined;
  const data = { ...fields, ...(newSecret ? { webhookSecretEncrypted: encryptSecret(newSecret) } : {}) };
  const row = await db().$transaction(async (tx) => {
    const row = await tx.alertSettings.upsert({ where: { id: ID }, create: { id: ID, ...data }, update: data });
    const b = view(before) as Record<string, unknown>;
    const a = view(row) as Record<string, unknown>;
    const changed = Object.keys(a).filter((k) => k !== "updatedAt" && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    await audit(tx, ctx.actor, "alerts.update", { type: "alerts", id: ID }, newSecret ? { webhookSecretRotated: true } : undefined, {
      before: Object.fromEntries(changed.map((k) => [k, b[k]])),
      after: Object.fromEntries(changed.map((k) => [k, a[k]])),
    });
    return row;
  });
  return { ...view(row), ...(newSecret ? { webhookSecret: newSecret } : {}) };
}
