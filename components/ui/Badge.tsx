import type { ReactNode } from "react";
import { cn } from "./cn";

export type Tone = "neutral" | "green" | "red" | "amber" | "blue" | "indigo" | "violet";

const tones: Record<Tone, string> = {
  neutral: "bg-zinc-100 text-zinc-700 ring-zinc-200",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  red: "bg-red-50 text-red-700 ring-red-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  blue: "bg-sky-50 text-sky-700 ring-sky-200",
  indigo: "bg-indigo-50 text-indigo-700 ring-indigo-200",
  violet: "bg-violet-50 text-violet-700 ring-violet-200",
};
const dots: Record<Tone, string> = {
  neutral: "bg-zinc-400",
  green: "bg-emerald-500",
  red: "bg-red-500",
  amber: "bg-amber-500",
  blue: "bg-sky-500",
  indigo: "bg-indigo-500",
  violet: "bg-violet-500",
};

export function Badge({
  tone = "neutral",
  dot,
  pulse,
  className,
  children,
  title,
}: {
  tone?: Tone;
  dot?: boolean;
  pulse?: boolean;
  className?: string;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span
      title={title}
      className={cn(
        "inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        tones[tone],
        className,
      )}
    >
      {dot && (
        <span className="relative flex size-1.5">
          {pulse && <span className={cn("absolute inline-flex size-full animate-ping rounded-full opacity-75", dots[tone])} />}
          <span className={cn("relative inline-flex size-1.5 rounded-full", dots[tone])} />
        </span>
      )}
      {children}
    </span>
  );
}

const statusTones: Record<string, { tone: Tone; label: string; live?: boolean }> = {
  queued: { tone: "neutral", label: "Queued", live: true },
  dispatching: { tone: "blue", label: "Dispatching", live: true },
  submitted: { tone: "blue", label: "Submitted", live: true },
  running: { tone: "indigo", label: "Running", live: true },
  succeeded: { tone: "green", label: "Succeeded" },
  failed: { tone: "red", label: "Failed" },
  canceled: { tone: "neutral", label: "Canceled" },
  timed_out: { tone: "amber", label: "Timed out" },
  healthy: { tone: "green", label: "Healthy" },
  unhealthy: { tone: "red", label: "Unhealthy" },
  degraded: { tone: "amber", label: "Degraded" },
  unknown: { tone: "neutral", label: "Not checked" },
  disabled: { tone: "neutral", label: "Disabled" },
  paused: { tone: "amber", label: "Paused" },
  active: { tone: "green", label: "Active" },
  deleted: { tone: "red", label: "Deleted" },
};

/** Badge for run, attempt, endpoint health and deployment statuses. */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  const s = statusTones[status] ?? { tone: "neutral" as Tone, label: status.replace(/_/g, " ") };
  return (
    <Badge tone={s.tone} dot pulse={s.live} className={className}>
      {s.label}
    </Badge>
  );
}
