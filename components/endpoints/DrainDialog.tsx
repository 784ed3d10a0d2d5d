"use client";
// The confirmations before an endpoint action that interrupts work, and before draining (disabling) an endpoint, shared by the endpoints list ("Drain")
// and the endpoint page ("Disable"). It shows what the server said draining would do: the
// deployments left with no enabled target, and what happens to their runs.
import type { DrainImpact } from "../api";
import type { EndpointAction } from "../queries";
import { ConfirmDialog } from "../ui/ConfirmDialog";

/** What each interrupting action asks before it runs (the endpoint page and the endpoints list). */
export const CONFIRM_ACTION: Partial<Record<EndpointAction, { title: string; body: string; label: string }>> = {
  restart: {
    title: "Restart this endpoint?",
    label: "Restart",
    body: "Its running job is interrupted and its queue cleared. Flowgate retries the affected runs (on another target when they have one, without using up their attempts); their attempts are labelled as interrupted by your restart.",
  },
  "purge-queue": {
    title: "Purge this endpoint's queue?",
    label: "Purge queue",
    body: "Every job waiting in its queue is dropped; running jobs are left alone. Flowgate retries the affected runs; their attempts are labelled as dropped by your purge.",
  },
  delete: {
    title: "Delete this endpoint?",
    label: "Delete",
    body: "Only possible when no deployment targets it and it has no run history; otherwise the answer says what still uses it.",
  },
};

export function DrainDialog({
  impact,
  title,
  verb,
  pending,
  onCancel,
  onConfirm,
}: {
  impact: DrainImpact;
  title: string;
  /** The button's word: "Drain" or "Disable"; "… anyway" when deployments are left stranded. */
  verb: string;
  pending?: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const stranded = impact.details.deploymentsWithoutTarget ?? [];
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={stranded.length ? `${verb} anyway` : verb}
      tone={stranded.length ? "danger" : "primary"}
      pending={pending}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      <p>New attempts skip this endpoint until you enable it again; jobs already running on it finish there.</p>
      {stranded.length ? (
        <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900" data-testid="drain-warning">
          <p className="font-medium">
            {stranded.length === 1 ? "1 deployment is" : `${stranded.length} deployments are`} left with no enabled target:
          </p>
          <ul className="mt-1 list-disc pl-5 text-xs">
            {stranded.map((d) => (
              <li key={d.slug}>
                <code>{d.slug}</code> — new runs wait in the queue up to its timeout ({d.timeoutSeconds} s), then end timed out (<code>no_target</code>)
                {d.runsInFlight ? `; ${d.runsInFlight} run(s) in flight wait too once their current attempt ends` : ""}
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs">Enable this or another of their endpoints and the waiting runs start.</p>
        </div>
      ) : (
        <p>Every deployment that targets it keeps another enabled target: their new attempts go there.</p>
      )}
    </ConfirmDialog>
  );
}
