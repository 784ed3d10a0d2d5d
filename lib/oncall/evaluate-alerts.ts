// The alert evaluator (run by every worker after its health checks): endpoints down or degraded
// (the one state definition, lib/endpoints/get-endpoint-state.ts), runs stuck past the threshold,
// and the last hour's failure rate. Each condition is one AlertState row: a notification goes out
// when it starts and when it recovers — not while it lasts — and the conditional row update that
// flips it decides which worker sends (several workers never send the same alert twice). The alert
// webhook gets Slack-compatible JSON ({text, blocks}) signed with Standard Webhooks headers.
import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { Ctx } from "@/lib/context";
import { db, Prisma } from "@/lib/db";
import { decryptSecret } from "@/lib/crypto/secrets";
import { log } from "@/lib/log";
import { outboundFetch } from "@/lib/net";
import { computeEndpointStates } from "@/lib/endpoints/get-endpoint-state";
import { LIVE_STATUSES } from "@/lib/runs/status";
import { ALERT_DEFAULTS, loadAlertSettings } from "./get-alert-settings";
import { listBudgetWarnings, type BudgetWarning } from "@/lib/analytics/budgets";

export interface Condition {
  key: string;
  severity: "critical" | "warning";
  message: string;
  href: string | null;
}

/** What is wrong right now, by condition key. */
export async function currentConditions(ctx: Ctx, s: { stuckAfterSeconds: number; failureRatePercent: number; failureMinRuns: number }): Promise<Condition[]> {
  const out: Condition[] = [];
  for (const e of await computeEndpointStates(ctx)) {
    if (e.state === "down" || e.state === "degraded") {
      out.push({
        key: `endpoint:${e.endpointId}`,
        severity: e.state === "down" ? "critical" : "warning",
        message: `Endpoint "${e.name}" is ${e.state}${e.queueDepth !== null ? ` (queue ${e.queueDepth})` : ""}: ${e.reasons[0] ?? ""}`,
        href: `/endpoints/${e.endpointId}`,
      });
    }
  }
  const before = new Date(Date.now() - s.stuckAfterSeconds * 1000);
  const [stuck] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Run" r
    WHERE r.status::text IN (${Prisma.join([...LIVE_STATUSES])})
      AND coalesce((SELECT max(e."createdAt") FROM "RunEvent" e WHERE e."runId" = r.id), r."createdAt") < ${before}`;
  if (stuck.n > 0) out.push({ key: "stuck_runs", severity: "warning", message: `${stuck.n} run(s) with no progress for over ${s.stuckAfterSeconds} s`, href: "/" });
  const hourAgo = new Date(Date.now() - 3600_000);
  const [rate] = await db().$queryRaw<{ finished: number; failed: number }[]>`
    SELECT count(*)::int AS finished, count(*) FILTER (WHERE status IN ('failed', 'timed_out'))::int AS failed
    FROM "Run" WHERE "createdAt" >= ${new Date(hourAgo.getTime() - 3600_000)} AND "finishedAt" >= ${hourAgo} AND status <> 'canceled'`;
  if (rate.finished >= s.failureMinRuns && (rate.failed / rate.finished) * 100 > s.failureRatePercent) {
    out.push({
      key: "failure_rate",
      severity: "critical",
      message: `${Math.round((rate.failed / rate.finished) * 100)}% of the last hour's ${rate.finished} runs failed (threshold ${s.failureRatePercent}%)`,
      href: "/runs?status=failed",
    });
  }
  // Budgets: one condition per deployment, month and line crossed (80 %, 100 %), so each line is
  // announced once; the month's conditions recover when the next month starts.
  for (const w of await listBudgetWarnings({ ctx, input: {} })) {
    for (const level of w.level === 100 ? [80, 100] : [80]) out.push(budgetCondition(w, level));
  }
  return out;
}

export function budgetMessage(w: BudgetWarning): string {
  const stop = w.level === 100 && w.hardStop ? "; new runs are refused (hard stop)" : "";
  return `Deployment "${w.name}" has spent $${w.spentUsd.toFixed(2)} of its $${w.budgetUsd.toFixed(2)} ${w.month} budget (${Math.round(w.percent)}%)${stop}`;
}

function budgetCondition(w: BudgetWarning, level: number): Condition {
  return {
    key: `budget:${w.deploymentId}:${w.month}:${level}`,
    severity: level === 100 ? "critical" : "warning",
    message: `${level === 100 ? "Budget spent" : "Budget at 80%"}: ${budgetMessage(w)}`,
    href: `/deployments/${w.slug}`,
  };
}

export interface Notification {
  key: string;
  kind: "firing" | "recovered";
  text: string;
}

/** One evaluation: flips the AlertState rows and sends what changed. Returns what was (or would have been) sent. */
export async function evaluateAlerts(ctx: Ctx, opts: { appUrl?: string } = {}): Promise<Notification[]> {
  const settings = await loadAlertSettings(ctx);
  const s = { ...ALERT_DEFAULTS, ...(settings ?? {}) };
  if (!s.enabled) return [];
  const now = new Date();
  const conditions = await currentConditions(ctx, s);
  const firing = new Map(conditions.map((c) => [c.key, c]));
  const active = await db().alertState.findMany({ where: { active: true } });
  const sent: Notification[] = [];
  for (const c of conditions) {
    const row = active.find((a) => a.key === c.key);
    if (row) {
      // still firing: keep the message current, no new notification unless it got worse
      if (row.severity !== c.severity && c.severity === "critical") {
        const n = await db().alertState.updateMany({ where: { key: c.key, active: true, severity: row.severity }, data: { severity: c.severity, message: c.message } });
        if (n.count) sent.push({ key: c.key, kind: "firing", text: `:red_circle: ${c.message}` });
      } else if (row.message !== c.message) await db().alertState.update({ where: { key: c.key }, data: { message: c.message } });
      continue;
    }
    const data = { active: true, severity: c.severity, message: c.message, href: c.href, since: now };
    const won =
      (await db().alertState.updateMany({ where: { key: c.key, active: false }, data })).count > 0 ||
      (await db().alertState.createMany({ data: [{ key: c.key, ...data }], skipDuplicates: true })).count > 0;
    if (won) sent.push({ key: c.key, kind: "firing", text: `${c.severity === "critical" ? ":red_circle:" : ":large_orange_circle:"} ${c.message}` });
  }
  for (const row of active) {
    if (firing.has(row.key)) continue;
    const n = await db().alertState.updateMany({ where: { key: row.key, active: true }, data: { active: false } });
    if (n.count) sent.push({ key: row.key, kind: "recovered", text: `:white_check_mark: Recovered: ${row.message} (for ${Math.round((now.getTime() - row.since.getTime()) / 1000)} s)` });
  }
  if (sent.length && settings?.webhookUrl) {
    for (const n of sent) {
      const href = firing.get(n.key)?.href ?? active.find((a) => a.key === n.key)?.href ?? null;
      const error = await postAlert(settings.webhookUrl, settings.webhookSecretEncrypted, n, href && opts.appUrl ? `${opts.appUrl}${href}` : null);
      await db().alertState.update({ where: { key: n.key }, data: { lastSentAt: new Date(), lastError: error } });
    }
  }
  return sent;
}

/** POST one alert: Slack-compatible body, Standard Webhooks headers. Returns the error, or null. */
async function postAlert(url: string, secretEncrypted: string | null, n: Notification, link: string | null): Promise<string | null> {
  const text = link ? `${n.text} <${link}|Open in Flowgate>` : n.text;
  const body = JSON.stringify({
    text,
    blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
    flowgate: { key: n.key, kind: n.kind, at: new Date().toISOString() },
  });
  const id = `msg_${randomUUID().replace(/-/g, "")}`;
  const ts = new Date();
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Flowgate-Alerts/1", "webhook-id": id, "webhook-timestamp": String(Math.floor(ts.getTime() / 1000)) };
  if (secretEncrypted) headers["webhook-signature"] = new Webhook(decryptSecret(secretEncrypted).replace(/^whsec_/, "")).sign(id, ts, body);
  try {
    const res = await outboundFetch(url, { purpose: "webhook", method: "POST", headers, body, redirect: "manual", timeoutMs: 10_000, discardBody: true });
    if (res.status >= 300) return `HTTP ${res.status}`;
    return null;
  } catch (e) {
    log.warn("alert webhook failed", { key: n.key, err: (e as Error).message });
    return (e as Error).message;
  }
}
