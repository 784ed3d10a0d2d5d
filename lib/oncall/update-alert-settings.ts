// Edit the alert thresholds and webhook; a new Standard Webhooks signing secret is answered once.
import { randomBytes } from "node:crypto";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { db } from "@/lib/db";
import { audit } from "@/lib/audit/record";
import { encryptSecret } from "@/lib/crypto/secrets";
import { assertAllowedUrl } from "@/lib/net/check-url";
import { UpdateAlertSettingsInput, type AlertSettings } from "./get-alert-settings.types";
import { ALERT_SETTINGS_ID, alertSettingsView, loadAlertSettings } from "./get-alert-settings";

/** PATCH /api/v1/alerts: on-call and admin edit thresholds and the webhook (audited, secret never recorded). */
export async function updateAlertSettings({ ctx, input }: VerbArgs<UpdateAlertSettingsInput>): Promise<AlertSettings> {
  requirePermission(ctx.actor, "endpoints:operate");
  const { rotateWebhookSecret, ...fields } = UpdateAlertSettingsInput.parse(input);
  if (fields.webhookUrl) await assertAllowedUrl(fields.webhookUrl, "webhook");
  const before = await loadAlertSettings(ctx);
  const newSecret = rotateWebhookSecret || (fields.webhookUrl && !before?.webhookSecretEncrypted) ? `whsec_${randomBytes(24).toString("base64")}` : undefined;
  const data = { ...fields, ...(newSecret ? { webhookSecretEncrypted: encryptSecret(newSecret) } : {}) };
  const row = await db().$transaction(async (tx) => {
    const row = await tx.alertSettings.upsert({ where: { id: ALERT_SETTINGS_ID }, create: { id: ALERT_SETTINGS_ID, ...data }, update: data });
    const b = alertSettingsView(before) as Record<string, unknown>;
    const a = alertSettingsView(row) as Record<string, unknown>;
    const changed = Object.keys(a).filter((k) => k !== "updatedAt" && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    await audit(tx, ctx.actor, "alerts.update", { type: "alerts", id: ALERT_SETTINGS_ID }, newSecret ? { webhookSecretRotated: true } : undefined, {
      before: Object.fromEntries(changed.map((k) => [k, b[k]])),
      after: Object.fromEntries(changed.map((k) => [k, a[k]])),
    });
    return row;
  });
  return { ...alertSettingsView(row), ...(newSecret ? { webhookSecret: newSecret } : {}) };
}
