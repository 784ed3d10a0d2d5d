import { cn } from "./cn";

export function ProgressBar({
  value,
  max,
  indeterminate,
  tone = "indigo",
  className,
  label,
}: {
  value?: number;
  max?: number;
  indeterminate?: boolean;
  tone?: "indigo" | "green" | "red" | "amber";
  className?: string;
  label?: string;
}) {
  const pct = !indeterminate && max ? Math.max(0, Math.min(100, ((value ?? 0) / max) * 100)) : 0;
  const color = { indigo: "bg-indigo-500", green: "bg-emerald-500", red: "bg-red-500", amber: "bg-amber-500" }[tone];
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max ?? 100}
      aria-valuenow={indeterminate ? undefined : (value ?? 0)}
      className={cn("relative h-1.5 w-full overflow-hidden rounded-full bg-zinc-100", className)}
    >
      {indeterminate ? (
        <div className={cn("absolute inset-y-0 w-1/3 animate-[fg-indeterminate_1.2s_ease-in-out_infinite] rounded-full", color)} />
      ) : (
        <div className={cn("h-full rounded-full transition-[width] duration-300", color)} style={{ width: `${pct}%` }} />
      )}
    </div>
  );
}
