"use client";
// A form generated from a deployment's slots. Empty optional fields are left out so the slot's
// default applies; an empty seed gets a fresh random value on the server.
import { useRef, useState, type DragEvent, type FormEvent } from "react";
import { ApiError, type Slot } from "../api";
import { Button, cn, ErrorCallout, Field, Input, Select, Textarea } from "../ui";

type Value = string | boolean | undefined;

function initialValue(s: Slot): Value {
  if (s.type === "boolean") return s.default === true;
  if (s.type === "seed" || s.type === "image") return "";
  return s.default === undefined || s.default === null ? "" : String(s.default);
}

const MAX_SEED = 2 ** 50;
export const randomSeed = () => Math.floor(Math.random() * MAX_SEED);

export function RunForm({
  slots,
  onSubmit,
  pending,
  error,
}: {
  slots: Slot[];
  onSubmit: (inputs: Record<string, unknown>) => void;
  pending: boolean;
  error: unknown;
}) {
  const [values, setValues] = useState<Record<string, Value>>(() => Object.fromEntries(slots.map((s) => [s.name, initialValue(s)])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (name: string, v: Value) => {
    setValues((x) => ({ ...x, [name]: v }));
    setErrors((e) => {
      const { [name]: _, ...rest } = e;
      return rest;
    });
  };

  // 422s name the slot in details; show the message under that field too.
  const serverSlot =
    error instanceof ApiError
      ? ((error.details as Record<string, unknown> | undefined)?.slot ??
        (error.details as Record<string, unknown> | undefined)?.name ??
        (error.details as Record<string, unknown> | undefined)?.field)
      : undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    const inputs: Record<string, unknown> = {};
    const errs: Record<string, string> = {};
    for (const s of slots) {
      const v = values[s.name];
      if (s.type === "boolean") {
        inputs[s.name] = !!v;
        continue;
      }
      const text = typeof v === "string" ? v : "";
      if (text.trim() === "") {
        if (s.required) errs[s.name] = "Required.";
        continue;
      }
      if (s.type === "integer" || s.type === "number" || s.type === "seed") {
        const n = Number(text);
        if (!Number.isFinite(n)) errs[s.name] = "Enter a number.";
        else if ((s.type === "integer" || s.type === "seed") && !Number.isInteger(n)) errs[s.name] = "Enter a whole number.";
        else if (s.min !== undefined && n < s.min) errs[s.name] = `At least ${s.min}.`;
        else if (s.max !== undefined && n > s.max) errs[s.name] = `At most ${s.max}.`;
        else inputs[s.name] = n;
      } else if (s.type === "enum") {
        const match = s.enum?.find((o) => String(o) === text);
        inputs[s.name] = match ?? text;
      } else inputs[s.name] = text;
    }
    setErrors(errs);
    if (Object.keys(errs).length === 0) onSubmit(inputs);
  }

  return (
    // Many parameters must not push Run below the fold: on wide screens the fields scroll inside the
    // card (so Run and the result beside it stay in view); on narrow ones the Run bar sticks to the
    // bottom of the viewport.
    <form onSubmit={submit} className="flex flex-col" data-testid="run-form">
      <div className="space-y-4 lg:max-h-[calc(100vh-19rem)] lg:min-h-48 lg:overflow-y-auto lg:pr-2 lg:-mr-2" data-testid="run-fields">
      {slots.length === 0 && (
        <p className="rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-600">
          This deployment has no parameters: every run uses the workflow as exported.
        </p>
      )}
      {slots.map((s) => {
        const id = `slot-${s.name}`;
        const err = errors[s.name] ?? (serverSlot === s.name && error instanceof Error ? error.message : undefined);
        const label = (
          <span className="flex items-center gap-1.5">
            <span className="font-mono">{s.name}</span>
            {s.required && <span className="text-red-500">*</span>}
          </span>
        );
        const range =
          s.type !== "seed" && (s.min !== undefined || s.max !== undefined) ? `${s.min ?? "−∞"} – ${s.max ?? "∞"}` : undefined;
        const hint = s.description || (s.type === "seed" ? "Leave empty for a random seed on every run." : undefined);
        const v = values[s.name];
        return (
          <Field key={s.name} label={label} htmlFor={id} hint={hint} error={err} aside={range ?? s.type}>
            {s.type === "string" ? (
              <Textarea id={id} name={s.name} rows={String(v ?? "").length > 80 || /prompt|text/i.test(s.name) ? 3 : 2} value={String(v ?? "")} onChange={(e) => set(s.name, e.target.value)} aria-invalid={!!err} />
            ) : s.type === "enum" ? (
              <Select id={id} name={s.name} value={String(v ?? "")} onChange={(e) => set(s.name, e.target.value)} aria-invalid={!!err}>
                {!s.required && <option value="">Default{s.default !== undefined ? ` (${String(s.default)})` : ""}</option>}
                {(s.enum ?? []).map((o) => (
                  <option key={String(o)} value={String(o)}>
                    {String(o)}
                  </option>
                ))}
              </Select>
            ) : s.type === "boolean" ? (
              <label className="flex items-center gap-2 text-sm text-zinc-700">
                <input id={id} type="checkbox" className="size-4 accent-zinc-900" checked={!!v} onChange={(e) => set(s.name, e.target.checked)} />
                {v ? "On" : "Off"}
              </label>
            ) : s.type === "seed" ? (
              <div className="flex gap-2">
                <Input id={id} name={s.name} type="number" inputMode="numeric" placeholder="random" value={String(v ?? "")} onChange={(e) => set(s.name, e.target.value)} aria-invalid={!!err} className="font-mono" />
                <Button onClick={() => set(s.name, String(randomSeed()))} title="Pick a random seed" aria-label="Randomise seed">
                  <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden>
                    <rect x="3" y="3" width="14" height="14" rx="3" />
                    <circle cx="7" cy="7" r="1" fill="currentColor" />
                    <circle cx="13" cy="13" r="1" fill="currentColor" />
                    <circle cx="10" cy="10" r="1" fill="currentColor" />
                  </svg>
                  Randomise
                </Button>
              </div>
            ) : s.type === "image" ? (
              <ImageDrop id={id} value={String(v ?? "")} onChange={(x) => set(s.name, x)} invalid={!!err} />
            ) : (
              <Input
                id={id}
                name={s.name}
                type="number"
                step={s.type === "integer" ? 1 : "any"}
                min={s.min}
                max={s.max}
                value={String(v ?? "")}
                onChange={(e) => set(s.name, e.target.value)}
                aria-invalid={!!err}
                className="font-mono"
              />
            )}
          </Field>
        );
      })}
      </div>
      <div className="sticky bottom-0 z-10 -mx-4 -mb-4 mt-4 space-y-3 rounded-b-lg border-t border-zinc-100 bg-white/95 px-4 py-3 backdrop-blur">
        {error != null && !serverSlot && <ErrorCallout error={error} title="The run was not started" />}
        {error != null && serverSlot !== undefined && <ErrorCallout error={error} title={`“${String(serverSlot)}” was refused`} />}
        <Button type="submit" variant="primary" className="w-full" loading={pending} data-testid="run-submit">
          Run
        </Button>
      </div>
    </form>
  );
}

function ImageDrop({ id, value, onChange, invalid }: { id: string; value: string; onChange: (v: string) => void; invalid?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  const [drag, setDrag] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const read = (f: File | undefined) => {
    if (!f) return;
    if (!f.type.startsWith("image/")) return setErr(`${f.name} is not an image.`);
    if (f.size > 20 * 1024 * 1024) return setErr("Images up to 20 MB.");
    setErr(null);
    const r = new FileReader();
    r.onload = () => onChange(String(r.result));
    r.readAsDataURL(f);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDrag(false);
    read(e.dataTransfer.files?.[0]);
  };
  return (
    <div>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDrag(true);
        }}
        onDragLeave={() => setDrag(false)}
        onDrop={onDrop}
        className={cn(
          "flex items-center gap-3 rounded-md border-2 border-dashed p-3 transition-colors",
          drag ? "border-indigo-400 bg-indigo-50" : invalid ? "border-red-300" : "border-zinc-200",
        )}
      >
        {value.startsWith("data:image") || /^https?:\/\//.test(value) ? (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={value} alt="Selected input" className="size-16 rounded object-cover ring-1 ring-zinc-200" />
        ) : (
          <div className="flex size-16 items-center justify-center rounded bg-zinc-100 text-zinc-400">
            <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden>
              <rect x="3" y="4" width="18" height="16" rx="2" />
              <circle cx="9" cy="10" r="2" />
              <path d="m21 16-5-5-8 8" />
            </svg>
          </div>
        )}
        <div className="min-w-0 flex-1 text-sm">
          <button type="button" className="font-medium text-indigo-600 hover:underline" onClick={() => ref.current?.click()}>
            Choose an image
          </button>{" "}
          <span className="text-zinc-500">or drop it here</span>
          <Input
            className="mt-2 h-8 text-xs"
            placeholder="…or paste an https:// URL"
            value={value.startsWith("data:") ? "" : value}
            onChange={(e) => onChange(e.target.value)}
            aria-label="Image URL"
          />
        </div>
        {value && (
          <Button size="sm" variant="ghost" onClick={() => onChange("")}>
            Clear
          </Button>
        )}
        <input ref={ref} id={id} type="file" accept="image/*" className="sr-only" onChange={(e) => read(e.target.files?.[0])} />
      </div>
      {err && <p className="mt-1 text-xs text-red-600">{err}</p>}
    </div>
  );
}
