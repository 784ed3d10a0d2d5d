import type { ReactNode } from "react";
import { ApiError, nextStep } from "../api";
import { cn } from "./cn";

/** Shows an error's message and, when known, what to do next. Accepts ApiError, Error or text. */
export function ErrorCallout({
  error,
  title,
  action,
  children,
  className,
  tone = "red",
}: {
  error?: unknown;
  title?: ReactNode;
  action?: ReactNode;
  children?: ReactNode;
  className?: string;
  tone?: "red" | "amber";
}) {
  const message =
    error instanceof Error ? error.message : typeof error === "string" ? error : error ? "Something went wrong." : null;
  const hint = nextStep(error);
  const code = error instanceof ApiError && !error.code.startsWith("http_") ? error.code : null;
  const palette =
    tone === "red" ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900";
  return (
    <div role="alert" className={cn("flex gap-3 rounded-md border px-3.5 py-3 text-sm", palette, className)}>
      <svg viewBox="0 0 20 20" fill="currentColor" className={cn("mt-0.5 size-4 shrink-0", tone === "red" ? "text-red-500" : "text-amber-500")} aria-hidden>
        <path fillRule="evenodd" d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-5a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0v-4.5A.75.75 0 0 1 10 5Zm0 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" clipRule="evenodd" />
      </svg>
      <div className="min-w-0 flex-1 space-y-1">
        {title && <p className="font-medium">{title}</p>}
        {message && (
          <p className={cn(title ? "opacity-90" : "font-medium", "break-words")}>
            {message}
            {code && <code className="ml-2 rounded bg-white/60 px-1 py-0.5 text-[11px] font-normal opacity-70">{code}</code>}
          </p>
        )}
        {hint && <p className="opacity-80">{hint}</p>}
        {children}
        {action && <div className="pt-1">{action}</div>}
      </div>
    </div>
  );
}
