"use client";
// The run's webhook deliveries: each try with its HTTP status and duration, and Replay for a
// delivery that exhausted its retries (or any finished one, to send it again).
import { useReplayWebhook, useRunWebhooks, type WebhookDelivery } from "../queries";
import { Badge, Button, Card, CardHeader, cn, ErrorCallout, QueryView, Table, TBody, TD, TH, THead, type Tone } from "../ui";
import { formatDateTime, formatDuration, formatRelative } from "../format";

const tone: Record<WebhookDelivery["status"], { tone: Tone; label: string }> = {
  pending: { tone: "neutral", label: "Pending" },
  sending: { tone: "amber", label: "Sending" },
  retrying: { tone: "amber", label: "Retrying" },
  delivered: { tone: "green", label: "Delivered" },
  dead: { tone: "red", label: "Dead" },
};

export function RunWebhooks({ runId, webhookUrl }: { runId: string; webhookUrl: string | null }) {
  const deliveries = useRunWebhooks(runId, !!webhookUrl);
  const replay = useReplayWebhook(runId);
  if (!webhookUrl) return null;
  return (
    <Card data-testid="run-webhooks">
      <CardHeader title="Webhook" description={<span className="break-all font-mono text-xs">{webhookUrl}</span>} />
      {replay.isError && <ErrorCallout error={replay.error} title="Replay refused" />}
      <QueryView
        query={deliveries}
        rows={2}
        errorTitle="Could not load the deliveries"
        errorClassName="px-4 pb-4"
        isEmpty={(data) => data.items.length === 0}
        empty={<p className="px-4 pb-4 text-sm text-zinc-500">Sent when the run ends.</p>}
      >
        {(data) => (
          <ul className="divide-y divide-zinc-100">
            {data.items.map((d) => (
              <li key={d.id} className="px-4 py-3" data-testid="webhook-delivery" data-status={d.status}>
                <div className="flex items-center justify-between gap-3">
                  <div className="flex min-w-0 items-center gap-2">
                    <Badge tone={tone[d.status].tone}>{tone[d.status].label}</Badge>
                    <span className="font-mono text-xs text-zinc-700">{d.eventType}</span>
                  </div>
                  {(d.status === "dead" || d.status === "delivered") && (
                    <Button size="sm" loading={replay.isPending && replay.variables === d.id} onClick={() => replay.mutate(d.id)}>
                      Replay
                    </Button>
                  )}
                </div>
                <p className="mt-1 text-xs text-zinc-500">
                  {d.status === "delivered" && d.deliveredAt && `Delivered ${formatRelative(d.deliveredAt)}. `}
                  {d.status === "retrying" && d.nextAttemptAt && `Next try ${formatRelative(d.nextAttemptAt)}. `}
                  {d.status === "dead" && "Every retry failed; fix the receiver, then Replay. "}
                  {d.lastError && <span className="text-red-700">{d.lastError}</span>}
                </p>
                {d.attempts.length > 0 && (
                  <div className="mt-2 overflow-hidden rounded-md border border-zinc-200">
                    <Table size="compact" data-testid="webhook-tries">
                      <THead>
                        <tr>
                          <TH>Try</TH>
                          <TH>When</TH>
                          <TH>HTTP</TH>
                          <TH>Took</TH>
                        </tr>
                      </THead>
                      <TBody>
                        {d.attempts.map((a) => (
                          <tr key={a.number} title={a.error ?? undefined}>
                            <TD className="tabular-nums">{a.number}</TD>
                            <TD>{formatDateTime(a.at)}</TD>
                            <TD className={cn("tabular-nums", a.statusCode && a.statusCode < 300 ? "text-emerald-700" : "text-red-700")}>{a.statusCode ?? (a.error ? "error" : "—")}</TD>
                            <TD className="tabular-nums">{formatDuration(a.durationMs)}</TD>
                          </tr>
                        ))}
                      </TBody>
                    </Table>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}
