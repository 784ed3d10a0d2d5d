"use client";
// Edit one API parameter (slot) bound to a node input: name, type, default, limits, required,
// description. Linked inputs are refused with the reason.
import { useEffect, useMemo, useState } from "react";
import type { ApiPrompt, Slot, SlotType } from "../api";
import { Badge, Button, ErrorCallout, Field, Input, Select, Textarea } from "../ui";
import type { ObjectInfoLite } from "./object-info";
import { inferSlotFor, slotKey } from "./slot-infer";
import { inputLimits } from "@/lib/comfy-graph/slots";
import { slotNameProblem } from "../workflows/deploy-checks";
import type { ApiPrompt as LibPrompt, ObjectInfo } from "@/lib/comfy-graph/types";

const TYPES: SlotType[] = ["string", "integer", "number", "boolean", "enum", "seed", "image"];

export function SlotPanel({
  prompt,
  nodeId,
  input,
  objectInfo,
  slots,
  suggestion,
  onSave,
  onRemove,
  onClose,
}: {
  prompt: ApiPrompt;
  nodeId: string;
  input: string;
  objectInfo: ObjectInfoLite | null;
  slots: Slot[];
  /** a suggestion on offer for this input: pre-fills the form (added only on save) */
  suggestion?: Slot;
  onSave: (slot: Slot, previousKey?: string) => void;
  onRemove: (key: string) => void;
  onClose: () => void;
}) {
  const key = `${nodeId}.${input}`;
  const existing = slots.find((s) => slotKey(s) === key);
  const inferred = useMemo(
    () => inferSlotFor(prompt, nodeId, input, objectInfo, slots.filter((s) => slotKey(s) !== key).map((s) => s.name)),
    [prompt, nodeId, input, objectInfo, slots, key],
  );
  const initialSlot = existing ?? (suggestion ? { ...suggestion, required: suggestion.required ?? false } : inferred.ok ? inferred.slot : null);
  const [slot, setSlot] = useState<Slot | null>(initialSlot);
  const [enumText, setEnumText] = useState("");
  // what the node itself accepts: the bounds any edited range must stay within
  const hard = useMemo(
    () => inputLimits(prompt as unknown as LibPrompt, nodeId, input, (objectInfo ?? undefined) as unknown as ObjectInfo | undefined),
    [prompt, nodeId, input, objectInfo],
  );
  useEffect(() => {
    const s = initialSlot;
    setSlot(s);
    setEnumText((s?.enum ?? []).join("\n"));
    // reset only when the selected input changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, inferred.ok]);

  const node = prompt[nodeId];
  const header = (
    <div className="flex items-start justify-between gap-2 border-b border-zinc-100 px-4 py-3">
      <div className="min-w-0">
        <p className="text-sm font-semibold text-zinc-900">{existing ? "Edit API parameter" : suggestion ? "Suggested API parameter" : "New API parameter"}</p>
        <p className="mt-0.5 truncate font-mono text-[11px] text-zinc-500">
          #{nodeId} {node?.class_type} · {input}
        </p>
      </div>
      <Button size="sm" variant="ghost" onClick={onClose} aria-label="Close">
        ✕
      </Button>
    </div>
  );

  if (!inferred.ok && !existing) {
    return (
      <div>
        {header}
        <div className="p-4">
          <ErrorCallout tone="amber" title="This input cannot be an API parameter" error={inferred.reason} />
        </div>
      </div>
    );
  }
  if (!slot) return null;

  const taken = new Set(slots.filter((s) => slotKey(s) !== key).map((s) => s.name));
  const nameError = slotNameProblem(slot.name, taken);
  const numeric = slot.type === "integer" || slot.type === "number";
  const rangeError = !numeric
    ? null
    : slot.min !== undefined && slot.max !== undefined && slot.min > slot.max
      ? "Min is greater than max."
      : slot.min !== undefined && hard.min !== undefined && slot.min < hard.min
        ? `The node accepts no less than ${hard.min}.`
        : slot.max !== undefined && hard.max !== undefined && slot.max > hard.max
          ? `The node accepts no more than ${hard.max}.`
          : null;
  const hardHint =
    hard.min !== undefined || hard.max !== undefined ? `The node itself accepts ${hard.min ?? "…"} to ${hard.max ?? "…"}; callers are held to the range above.` : undefined;
  const set = (patch: Partial<Slot>) => setSlot((s) => (s ? { ...s, ...patch } : s));
  const num = (v: string) => (v.trim() === "" ? undefined : Number(v));

  function save() {
    if (!slot || nameError || rangeError) return;
    const out: Slot = { ...slot };
    if (out.type === "enum") out.enum = enumText.split("\n").map((s) => s.trim()).filter(Boolean);
    else delete out.enum;
    if (!numeric) {
      delete out.min;
      delete out.max;
      delete out.step;
    } else {
      // a cleared bound falls back to the node's own limit, so no caller can go past it
      if (out.min === undefined && hard.min !== undefined) out.min = hard.min;
      if (out.max === undefined && hard.max !== undefined) out.max = hard.max;
    }
    if (out.description === "") delete out.description;
    onSave(out, existing ? key : undefined);
  }

  return (
    <div>
      {header}
      <div className="space-y-3 p-4">
        <Field label="Name" htmlFor="slot-name" error={nameError} hint="The key callers send in inputs.">
          <Input id="slot-name" value={slot.name} onChange={(e) => set({ name: e.target.value })} aria-invalid={!!nameError} className="font-mono" />
        </Field>
        <Field label="Type" htmlFor="slot-type" aside={inferred.ok && inferred.slot.type === slot.type ? "inferred" : undefined}>
          <Select id="slot-type" value={slot.type} onChange={(e) => set({ type: e.target.value as SlotType })}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Field>
        {slot.type === "enum" && (
          <Field label="Choices" htmlFor="slot-enum" hint="One per line.">
            <Textarea id="slot-enum" rows={4} value={enumText} onChange={(e) => setEnumText(e.target.value)} className="font-mono text-xs" />
          </Field>
        )}
        {slot.type === "seed" ? (
          <p className="rounded-md bg-zinc-50 px-3 py-2 text-xs text-zinc-600">
            Left empty by a caller, a seed gets a fresh random value on every run (recorded on the run).
          </p>
        ) : slot.type === "image" ? (
          <p className="rounded-md bg-zinc-50 px-3 py-2 text-xs text-zinc-600">
            Callers send a data URI, raw base64 or an http(s) URL; Flowgate uploads it to the endpoint.
          </p>
        ) : (
          <Field label="Default" htmlFor="slot-default">
            {slot.type === "string" ? (
              <Textarea id="slot-default" rows={3} value={String(slot.default ?? "")} onChange={(e) => set({ default: e.target.value })} />
            ) : slot.type === "boolean" ? (
              <Select id="slot-default" value={String(slot.default ?? false)} onChange={(e) => set({ default: e.target.value === "true" })}>
                <option value="true">true</option>
                <option value="false">false</option>
              </Select>
            ) : (
              <Input
                id="slot-default"
                value={slot.default === undefined ? "" : String(slot.default)}
                onChange={(e) => set({ default: numeric ? num(e.target.value) : e.target.value })}
                type={numeric ? "number" : "text"}
              />
            )}
          </Field>
        )}
        {numeric && (
          <div>
            <div className="grid grid-cols-2 gap-3">
              <Field label="Min" htmlFor="slot-min">
                <Input id="slot-min" type="number" value={slot.min ?? ""} onChange={(e) => set({ min: num(e.target.value) })} />
              </Field>
              <Field label="Max" htmlFor="slot-max" error={rangeError}>
                <Input id="slot-max" type="number" value={slot.max ?? ""} onChange={(e) => set({ max: num(e.target.value) })} />
              </Field>
            </div>
            {hardHint && <p className="mt-1 text-[11px] text-zinc-500" data-testid="slot-hard-limits">{hardHint}</p>}
          </div>
        )}
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input
            type="checkbox"
            className="size-4 rounded border-zinc-300 accent-zinc-900"
            checked={!!slot.required}
            onChange={(e) => set({ required: e.target.checked })}
          />
          Required
          <span className="text-xs text-zinc-400">(otherwise the default is used)</span>
        </label>
        <Field label="Description" htmlFor="slot-desc">
          <Textarea id="slot-desc" rows={2} value={slot.description ?? ""} onChange={(e) => set({ description: e.target.value })} />
        </Field>
        <div className="flex items-center justify-between gap-2 pt-1">
          {existing ? (
            <Button variant="ghost" className="text-red-600 hover:bg-red-50 hover:text-red-700" onClick={() => onRemove(key)}>
              Remove
            </Button>
          ) : (
            <Badge tone="neutral">from #{nodeId}</Badge>
          )}
          <Button variant="primary" onClick={save} disabled={!!nameError || !!rangeError} data-testid="slot-save">
            {existing ? "Save parameter" : "Add parameter"}
          </Button>
        </div>
      </div>
    </div>
  );
}
