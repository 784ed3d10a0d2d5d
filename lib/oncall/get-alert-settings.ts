// On-call alert settings (one row, "default"): thresholds and the alert webhook. Read by the
// overview (stuck threshold), the alert evaluator and the dashboard's Alerts page
// (list-alerts.ts); edited by update-alert-settings.ts.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { GetAlertSettingsInput, type AlertSettings } from "./get-alert-settings.types";

export const ALERT_SETTINGS_ID = "default";
export const ALERT_DEFAULTS = { enabled: true, stuckAfterSeconds: 300, failureRatePercent: 20, failureMinRuns: 5 } as const;

type Row = { enabled: boolean; stuckAfterSeconds: number; failureRatePercent: number; failureMinRuns: number; webhookUrl: string | null; webhookSecretEncrypted: string | null; updatedAt: Date | null };

export function alertSettingsView(row: Row | null): AlertSettings {
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
  return dbOf(ctx).alertSettings.findUnique({ where: { id: ALERT_SETTINGS_ID } });
}

export async function getAlertSettings({ ctx, input }: VerbArgs<GetAlertSettingsInput>): Promise<AlertSettings> {
  requirePermission(ctx.actor, "read");
  GetAlertSettingsInput.parse(input ?? {});
  return alertSettingsView(await loadAlertSettings(ctx));
}

