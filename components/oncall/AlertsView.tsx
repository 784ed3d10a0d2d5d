"use client";
// Alert settings (thresholds, the alert webhook) and what is firing now. On-call, engineers and
// admins edit; everyone sees. A new signing secret is shown once.
import { useEffect, useState } from "react";
import { formatRelative } from "../format";
import { useAlerts, useUpdateAlertSettings } from "../queries";
import { useCan } from "../shell/RoleContext";
import { Button, Card, CardBody, CardHeader, CopyButton, ErrorCallout, Input, PageHeader, QueryView } from "../ui";

export function AlertsView() {
  const alerts = useAlerts();
  const save = useUpdateAlertSettings();
  const mayEdit = useCan("endpoints:operate");
  const s = alerts.data?.settings;
  const [form, setForm] = useState({ stuckAfterSeconds: "", failureRatePercent: "", failureMinRuns: "", webhookUrl: "", enabled: true });
  const [secret, setSecret] = useState<string | null>(null);
  useEffect(() => {
    if (s) setForm({ stuckAfterSeconds: String(s.stuckAfterSeconds), failureRatePercent: String(s.failureRatePercent), failureMinRuns: String(s.failureMinRuns), webhookUrl: s.webhookUrl ?? "", enabled: s.enabled });
  }, [s]);
  const submit = (rotate = false) =>
    save.mutate(
      {
        enabled: form.enabled,
        stuckAfterSeconds: Number(form.stuckAfterSeconds),
        failureRatePercent: Number(form.failureRatePercent),
        failureMinRuns: Number(form.failureMinRuns),
        webhookUrl: form.webhookUrl.trim() || null,
        ...(rotate ? { rotateWebhookSecret: true } : {}),
      },
      { onSuccess: (r) => r.webhookSecret && setSecret(r.webhookSecret) },
    );
  return (
    <>
      <PageHeader title="Alerts" description="Endpoints going down or recovering, runs stuck with no progress, failure rate: shown as banners and sent to the alert webhook once when they start and once when they recover." />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Firing now" />
          <QueryView query={alerts}>
            {(d) =>
              d.active.length ? (
                <ul className="divide-y divide-zinc-100" data-testid="active-alerts">
                  {d.active.map((a) => (
                    <li key={a.key} className="px-4 py-2 text-sm">
                      <p className={a.severity === "critical" ? "text-red-800" : "text-amber-800"}>{a.message}</p>
                      <p className="text-xs text-zinc-500">
                        since {formatRelative(a.since)}
                        {a.lastSentAt ? ` · sent ${formatRelative(a.lastSentAt)}` : ""}
                        {a.lastError ? ` · webhook failed: ${a.lastError}` : ""}
                      </p>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="px-4 py-3 text-sm text-emerald-700">Nothing is firing.</p>
              )
            }
          </QueryView>
        </Card>
        <Card>
          <CardHeader title="Settings" description="Evaluated by the worker after each round of health checks." />
          <CardBody>
            <form className="space-y-3 text-sm" onSubmit={(e) => (e.preventDefault(), submit())} data-testid="alert-settings">
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={form.enabled} disabled={!mayEdit} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} /> Alerts on
              </label>
              <label className="block text-xs text-zinc-500">
                A run is stuck after this many seconds without progress
                <Input type="number" min={10} value={form.stuckAfterSeconds} disabled={!mayEdit} onChange={(e) => setForm({ ...form, stuckAfterSeconds: e.target.value })} className="mt-1 w-32" />
              </label>
              <div className="flex gap-3">
                <label className="block text-xs text-zinc-500">
                  Failure rate above (%)
                  <Input type="number" min={1} max={100} value={form.failureRatePercent} disabled={!mayEdit} onChange={(e) => setForm({ ...form, failureRatePercent: e.target.value })} className="mt-1 w-32" />
                </label>
                <label className="block text-xs text-zinc-500">
                  with at least (runs / hour)
                  <Input type="number" min={1} value={form.failureMinRuns} disabled={!mayEdit} onChange={(e) => setForm({ ...form, failureMinRuns: e.target.value })} className="mt-1 w-32" />
                </label>
              </div>
              <label className="block text-xs text-zinc-500">
                Alert webhook (Slack incoming webhook or any receiver: JSON {"{text, blocks}"}, Standard Webhooks signature)
                <Input value={form.webhookUrl} disabled={!mayEdit} placeholder="https://hooks.slack.com/services/…" onChange={(e) => setForm({ ...form, webhookUrl: e.target.value })} className="mt-1" />
              </label>
              {s?.hasWebhookSecret && <p className="text-xs text-zinc-500">Signed with a secret (whsec_…) shown once when generated.</p>}
              {secret && (
                <p className="flex items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900">
                  Signing secret, shown once: <code className="break-all">{secret}</code> <CopyButton text={secret} />
                </p>
              )}
              {save.error && <ErrorCallout error={save.error} title="Not saved" />}
              {mayEdit && (
                <div className="flex gap-2">
                  <Button type="submit" variant="primary" loading={save.isPending}>Save</Button>
                  {s?.webhookUrl && <Button onClick={() => submit(true)}>New signing secret</Button>}
                </div>
              )}
            </form>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
