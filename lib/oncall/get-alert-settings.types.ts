import { z } from "zod";

export const AlertSettingsSchema = z.object({
  enabled: z.boolean(),
  stuckAfterSeconds: z.number(),
  failureRatePercent: z.number(),
  failureMinRuns: z.number(),
  webhookUrl: z.string().nullable(),
  hasWebhookSecret: z.boolean(),
  /** only in the answer that generated it: the `whsec_` key receivers verify signatures with */
  webhookSecret: z.string().optional(),
  updatedAt: z.string().nullable(),
});
export type AlertSettings = z.output<typeof AlertSettingsSchema>;

export const UpdateAlertSettingsInput = z
  .object({
    enabled: z.boolean().optional(),
    stuckAfterSeconds: z.number().int().min(10).max(86_400).optional(),
    failureRatePercent: z.number().int().min(1).max(100).optional(),
    failureMinRuns: z.number().int().min(1).max(10_000).optional(),
    /** Slack-compatible incoming webhook URL; null removes it */
    webhookUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
    /** true: generate a new signing secret (shown once) */
    rotateWebhookSecret: z.boolean().optional(),
  })
  .strict();
export type UpdateAlertSettingsInput = z.input<typeof UpdateAlertSettingsInput>;

export const ActiveAlert = z.object({
  key: z.string(),
  severity: z.enum(["critical", "warning"]),
  message: z.string(),
  href: z.string().nullable(),
  since: z.string(),
  lastSentAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export const AlertsSchema = z.object({ settings: AlertSettingsSchema, active: z.array(ActiveAlert) });
export type Alerts = z.output<typeof AlertsSchema>;

export const GetAlertSettingsInput = z.object({}).strict().default({});
export type GetAlertSettingsInput = z.input<typeof GetAlertSettingsInput>;
