// The alerts firing now and their settings: the dashboard's banners and Alerts page.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { ActiveAlert, type Alerts } from "./get-alert-settings.types";
import { alertSettingsView, loadAlertSettings } from "./get-alert-settings";
import type { z } from "zod";

/** GET /api/v1/alerts: the settings and the alerts firing now (the dashboard's banners). */
export async function listAlerts({ ctx }: VerbArgs<Record<string, never>>): Promise<Alerts> {
  requirePermission(ctx.actor, "read");
  const [settings, rows] = await Promise.all([loadAlertSettings(ctx), dbOf(ctx).alertState.findMany({ where: { active: true }, orderBy: { since: "asc" } })]);
  return {
    settings: alertSettingsView(settings),
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

