"use client";
// The alerts firing now, on every dashboard page (the worker evaluates them; lib/oncall/evaluate-alerts.ts).
import Link from "next/link";
import { useAlerts } from "../queries";

export function AlertsBanner() {
  const alerts = useAlerts();
  const active = alerts.data?.active ?? [];
  if (!active.length) return null;
  const critical = active.some((a) => a.severity === "critical");
  return (
    <div role="alert" data-testid="alerts-banner" className={`border-b px-6 py-2 text-sm lg:px-10 ${critical ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900"}`}>
      <ul className="mx-auto max-w-7xl space-y-0.5">
        {active.slice(0, 4).map((a) => (
          <li key={a.key} className="flex items-center gap-2">
            <span className={`size-2 shrink-0 rounded-full ${a.severity === "critical" ? "bg-red-500" : "bg-amber-500"}`} />
            {a.href ? <Link href={a.href} className="truncate hover:underline">{a.message}</Link> : <span className="truncate">{a.message}</span>}
          </li>
        ))}
        {active.length > 4 && <li><Link href="/alerts" className="font-medium hover:underline">{active.length - 4} more alerts</Link></li>}
      </ul>
    </div>
  );
}
