import { withApi, json, readJson } from "@/lib/api/with-api";
import { listAlerts } from "@/lib/oncall/list-alerts";
import { updateAlertSettings } from "@/lib/oncall/update-alert-settings";

// GET /api/v1/alerts – the alert settings and the alerts firing now
export const GET = withApi({ permission: "read" }, async ({ ctx }) => {
  return json(await listAlerts({ ctx, input: {} }));
});

// PATCH /api/v1/alerts – thresholds and the alert webhook (oncall, engineer, admin; audited)
export const PATCH = withApi({ permission: "endpoints:operate" }, async ({ req, ctx }) => {
  return json(await updateAlertSettings({ ctx, input: (await readJson(req)) as never }));
});
