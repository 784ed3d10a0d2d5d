"use client";
import { useEffect, type ReactNode } from "react";
import { Button } from "./Button";

/**
 * A centred confirmation dialog for actions with consequences (delete, drain): says what will
 * happen before it does. Escape or the backdrop cancels.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  tone = "danger",
  pending,
  onConfirm,
  onCancel,
}: {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  tone?: "danger" | "primary";
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onCancel();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center whitespace-normal p-4 text-left" role="alertdialog" aria-modal="true" aria-label={typeof title === "string" ? title : undefined}>
      <div className="absolute inset-0 bg-zinc-900/30 backdrop-blur-[1px]" onClick={onCancel} />
      <div className="relative w-full max-w-lg rounded-lg bg-white shadow-2xl">
        <div className="px-6 pt-5">
          <h2 className="text-base font-semibold text-zinc-900">{title}</h2>
          <div className="mt-2 space-y-2 text-sm text-zinc-600">{children}</div>
        </div>
        <div className="mt-5 flex justify-end gap-2 border-t border-zinc-200 bg-zinc-50/60 px-6 py-3">
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant={tone} loading={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}
