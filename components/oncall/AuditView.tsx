"use client";
// The audit log: who did what to which target, when, and how it ended (on-call actions are written
// `pending` before the provider is called and become ok / failed after). Filters by actor, action
// (exact or a family like `endpoint.*`), target and time; each target links to its page.
import Link from "next/link";
import { useState } from "react";
import { formatDateTime, formatRelative, shortId } from "../format";
import { useAudit, type AuditRow } from "../queries";
import { Badge, Button, Card, EmptyState, Input, PageHeader, QueryView, Select, Table, TBody, TD, TH, THead, TR } from "../ui";

function targetHref(row: AuditRow): string | null {
  const id = row.target.id;
  if (!id) return null;
  const slug = typeof row.details?.slug === "string" ? row.details.slug : null;
  switch (row.target.type) {
    case "endpoint":
      return `/endpoints/${id}`;
    case "run":
      return `/runs/${id}`;
    case "workflow":
      return `/workflows/${id}`;
    case "deployment":
      return slug ? `/deployments/${slug}` : null;
    default:
      return null;
  }
}

const OUTCOME_TONE = { ok: "green", failed: "red", pending: "amber" } as const;

function summary(row: AuditRow): string {
  const d = row.details ?? {};
  if (typeof d.message === "string") return d.message;
  if (row.before || row.after) return `${JSON.stringify(row.before ?? {})} → ${JSON.stringify(row.after ?? {})}`;
  const rest = Object.entries(d).filter(([k]) => k !== "actorName");
  return rest.length ? JSON.stringify(Object.fromEntries(rest)) : "";
}

const SINCE: Record<string, number | null> = { any: null, "1h": 3600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 };

export function AuditView() {
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const [targetType, setTargetType] = useState("");
  const [targetId, setTargetId] = useState("");
  const [since, setSince] = useState("any");
  const [cursors, setCursors] = useState<string[]>([]);
  const sinceMs = SINCE[since];
  const [sinceIso] = useState(() => new Map<string, string>());
  if (sinceMs && !sinceIso.has(since)) sinceIso.set(since, new Date(Date.now() - sinceMs).toISOString());
  const filter = {
    actor: actor || undefined,
    action: action || undefined,
    targetType: targetType || undefined,
    targetId: targetId || undefined,
    since: sinceMs ? sinceIso.get(since) : undefined,
    cursor: cursors[cursors.length - 1],
  };
  const audit = useAudit(filter);
  const reset = () => setCursors([]);
  return (
    <>
      <PageHeader title="Audit log" description="Every change and on-call action: who, what, when and how it ended." />
      <Card className="mb-4 p-3">
        <form className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()} data-testid="audit-filters">
          <label className="text-xs text-zinc-500">
            Actor
            <Input value={actor} onChange={(e) => (setActor(e.target.value), reset())} placeholder="key_… or user id" className="mt-1 w-44" />
          </label>
          <label className="text-xs text-zinc-500">
            Action
            <Input value={action} onChange={(e) => (setAction(e.target.value), reset())} placeholder="endpoint.*" className="mt-1 w-44" />
          </label>
          <label className="text-xs text-zinc-500">
            Target type
            <Select value={targetType} onChange={(e) => (setTargetType(e.target.value), reset())} className="mt-1 w-36">
              <option value="">any</option>
              {["endpoint", "run", "deployment", "workflow", "apikey"].map((t) => (
                <option key={t} value={t}>{t}</option>
              ))}
            </Select>
          </label>
          <label className="text-xs text-zinc-500">
            Target id
            <Input value={targetId} onChange={(e) => (setTargetId(e.target.value), reset())} className="mt-1 w-52" />
          </label>
          <label className="text-xs text-zinc-500">
            Time
            <Select value={since} onChange={(e) => (setSince(e.target.value), reset())} className="mt-1 w-32">
              <option value="any">any time</option>
              <option value="1h">last hour</option>
              <option value="24h">last 24 h</option>
              <option value="7d">last 7 days</option>
            </Select>
          </label>
        </form>
      </Card>
      <Card>
        <QueryView
          query={audit}
          errorTitle="Could not load the audit log"
          isEmpty={(d) => d.items.length === 0}
          empty={<EmptyState title="No audit rows match" description="Change the filters, or act on something first." />}
        >
          {(d) => (
            <>
              <Table data-testid="audit-table">
                <THead>
                  <tr>
                    <TH>When</TH>
                    <TH>Who</TH>
                    <TH>Action</TH>
                    <TH>Target</TH>
                    <TH>Outcome</TH>
                    <TH>What happened</TH>
                  </tr>
                </THead>
                <TBody>
                  {d.items.map((row) => {
                    const href = targetHref(row);
                    return (
                      <TR key={row.id} data-testid="audit-row">
                        <TD className="whitespace-nowrap text-xs text-zinc-500" title={formatDateTime(row.at)}>{formatRelative(row.at)}</TD>
                        <TD className="text-sm">
                          <button type="button" className="text-left hover:underline" onClick={() => (setActor(row.actor.id ? `${row.actor.type}:${row.actor.id}` : row.actor.type), reset())}>
                            {row.actor.name ?? row.actor.id ?? row.actor.type}
                          </button>
                        </TD>
                        <TD>
                          <code className="text-xs text-zinc-800">{row.action}</code>
                        </TD>
                        <TD className="text-xs">
                          {href ? (
                            <Link href={href} className="text-indigo-700 hover:underline">
                              {row.target.type} {row.target.id ? shortId(row.target.id) : ""}
                            </Link>
                          ) : (
                            <span className="text-zinc-600">{row.target.type} {row.target.id ? shortId(row.target.id) : ""}</span>
                          )}
                        </TD>
                        <TD>
                          <Badge tone={OUTCOME_TONE[row.outcome]} dot>
                            <span data-testid="audit-outcome">{row.outcome}</span>
                          </Badge>
                        </TD>
                        <TD className="max-w-md truncate text-xs text-zinc-600" title={summary(row)}>{summary(row)}</TD>
                      </TR>
                    );
                  })}
                </TBody>
              </Table>
              <div className="flex justify-end gap-2 border-t border-zinc-100 px-4 py-2">
                <Button size="sm" disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>Newer</Button>
                <Button size="sm" disabled={!d.nextCursor} onClick={() => d.nextCursor && setCursors((c) => [...c, d.nextCursor!])}>Older</Button>
              </div>
            </>
          )}
        </QueryView>
      </Card>
    </>
  );
}
