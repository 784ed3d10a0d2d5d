"use client";
// The Deploy sheet's summary of the API parameters prepared in the graph (not a second editor:
// parameters are made and renamed beside the graph), and the suggestions left out.
import { slotKey } from "../graph/slot-infer";
import { Badge, Table, TBody, TD, TH, THead } from "../ui";
import type { SlotDraftApi } from "./slot-draft";

export function DeploySlotsSummary({ draftApi, onEdit }: { draftApi: SlotDraftApi; onEdit: () => void }) {
  const slots = draftApi.draft.slots;
  return (
    <section>
      <div className="mb-2 flex items-baseline justify-between">
        <h3 className="text-sm font-semibold text-zinc-900">API parameters ({slots.length})</h3>
        <button type="button" className="text-xs font-medium text-indigo-600 hover:underline" onClick={onEdit}>
          Edit in the graph
        </button>
      </div>
      {/* A summary, not a second editor: parameters are made and renamed beside the graph. */}
      {slots.length === 0 ? (
        <p className="rounded-md border border-dashed border-zinc-300 px-4 py-5 text-center text-sm text-zinc-500">
          No parameters: every run uses the workflow exactly as exported. Click values in the graph to add some.
        </p>
      ) : (
        <div className="overflow-hidden rounded-md border border-zinc-200">
          <Table size="compact" data-testid="deploy-slots">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Type</TH>
                <TH>Input</TH>
                <TH>Default</TH>
              </tr>
            </THead>
            <TBody>
              {slots.slice(0, 100).map((s) => (
                <tr key={slotKey(s)}>
                  <TD className="font-mono font-medium text-zinc-900">
                    {s.name}
                    {s.required && <span className="ml-1 text-red-600">*</span>}
                  </TD>
                  <TD>
                    <Badge tone={s.type === "image" ? "violet" : s.type === "seed" ? "amber" : "neutral"}>{s.type}</Badge>
                  </TD>
                  <TD className="font-mono text-zinc-500">
                    #{s.nodeId}.{s.input}
                  </TD>
                  <TD className="max-w-[10rem] truncate font-mono text-zinc-600">
                    {s.type === "seed" ? "random" : s.default === undefined ? "—" : JSON.stringify(s.default)}
                  </TD>
                </tr>
              ))}
            </TBody>
          </Table>
          {slots.length > 100 && <p className="border-t border-zinc-100 px-3 py-1.5 text-xs text-zinc-500">and {slots.length - 100} more</p>}
        </div>
      )}
      {draftApi.offers.length > 0 && (
        <p className="mt-2 text-xs text-zinc-500" data-testid="deploy-offers-note">
          {draftApi.offers.length} suggested parameter{draftApi.offers.length === 1 ? " is" : "s are"} not included ({draftApi.offers
            .slice(0, 4)
            .map((o) => o.name)
            .join(", ")}
          {draftApi.offers.length > 4 ? ", …" : ""}): only the parameters listed above are deployed. Add suggestions in the graph.
        </p>
      )}
    </section>
  );
}
