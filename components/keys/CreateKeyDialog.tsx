"use client";
// Create an API key: name, scopes (only those the signed-in role may hand out), the deployments a run
// key may run, expiry, an optional rate limit. The key is shown once, with a copy button.
import { useState, type FormEvent } from "react";
import type { Role } from "../api";
import { useDeployments } from "../queries";
import { Button, CopyButton, ErrorCallout, Field, Input, Select } from "../ui";
import { can } from "@/lib/auth/roles";
import { permissionsOf, SCOPE_DESCRIPTIONS, SCOPES, type Scope } from "@/lib/auth/scopes";
import { useCreateApiKey, type CreatedApiKey } from "./queries";

const EXPIRY: { value: string; label: string; days: number | null }[] = [
  { value: "30", label: "30 days", days: 30 },
  { value: "7", label: "7 days", days: 7 },
  { value: "90", label: "90 days", days: 90 },
  { value: "365", label: "1 year", days: 365 },
  { value: "never", label: "Never", days: null },
];

export function grantable(role: Role): Scope[] {
  return SCOPES.filter((s) => permissionsOf([s]).every((p) => can(role, p)));
}

export function CreateKeyDialog({ role, onClose }: { role: Role; onClose: () => void }) {
  const create = useCreateApiKey();
  const deployments = useDeployments();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["read"]);
  const [limitTo, setLimitTo] = useState<string[]>([]);
  const [expiry, setExpiry] = useState("30");
  const [rate, setRate] = useState("");
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const offered = grantable(role);
  const toggle = (s: Scope) => setScopes((v) => (v.includes(s) ? v.filter((x) => x !== s) : [...v, s]));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const days = EXPIRY.find((x) => x.value === expiry)?.days ?? null;
    const key = await create
      .mutateAsync({
        name: name.trim(),
        scopes,
        ...(scopes.includes("run") && limitTo.length ? { deployments: limitTo } : {}),
        ...(days ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() } : {}),
        ...(rate.trim() ? { rateLimitPerMinute: Number(rate) } : {}),
      })
      .catch(() => null);
    if (key) setCreated(key);
  }

  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center p-4" role="dialog" aria-modal="true" aria-label="Create API key">
      <div className="absolute inset-0 bg-zinc-900/30 backdrop-blur-[1px]" onClick={created ? undefined : onClose} />
      <div className="relative w-full max-w-xl rounded-lg bg-white shadow-2xl">
        {created ? (
          <div className="px-6 py-5">
            <h2 className="text-base font-semibold text-zinc-900">Key created: {created.name}</h2>
            <p className="mt-1 text-sm text-zinc-600">Copy it now. Flowgate stores only a hash, so this is the only time you can see it.</p>
            <div className="mt-4 flex items-center gap-2 rounded-md border border-zinc-200 bg-zinc-50 p-2">
              <code className="min-w-0 flex-1 break-all font-mono text-[13px] text-zinc-900" data-testid="new-key">
                {created.key}
              </code>
              <CopyButton text={created.key} />
            </div>
            <p className="mt-3 text-xs text-zinc-500">
              Use it as <code className="font-mono">Authorization: Bearer …</code>, or <code className="font-mono">npx flowgate login</code>. Scopes: {created.scopes.join(", ")}
              {created.deployments.length ? `; runs only ${created.deployments.join(", ")}` : ""}
              {created.expiresAt ? `; expires ${new Date(created.expiresAt).toLocaleDateString()}` : ""}.
            </p>
            <div className="mt-5 flex justify-end">
              <Button variant="primary" onClick={onClose}>
                Done
              </Button>
            </div>
          </div>
        ) : (
          <form onSubmit={submit}>
            <div className="space-y-4 px-6 pt-5">
              <h2 className="text-base font-semibold text-zinc-900">Create API key</h2>
              <Field label="Name" htmlFor="key-name" hint="Who or what uses it, e.g. “render script” or “Claude agent”.">
                <Input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
              </Field>
              <fieldset>
                <legend className="text-xs font-medium text-zinc-700">Scopes</legend>
                <div className="mt-1.5 grid gap-1.5">
                  {SCOPES.map((s) => {
                    const allowed = offered.includes(s);
                    return (
                      <label key={s} className={`flex items-start gap-2 rounded-md border px-3 py-2 text-sm ${scopes.includes(s) ? "border-indigo-300 bg-indigo-50/50" : "border-zinc-200"} ${allowed ? "" : "opacity-50"}`}>
                        <input type="checkbox" className="mt-0.5" checked={scopes.includes(s)} disabled={!allowed} onChange={() => toggle(s)} aria-label={`scope ${s}`} />
                        <span>
                          <span className="font-mono text-[13px] font-medium text-zinc-900">{s}</span>
                          <span className="ml-2 text-xs text-zinc-500">{SCOPE_DESCRIPTIONS[s]}</span>
                          {!allowed && <span className="ml-2 text-xs text-zinc-400">(beyond your role)</span>}
                        </span>
                      </label>
                    );
                  })}
                </div>
              </fieldset>
              {scopes.includes("run") && (
                <Field label="Runs only these deployments" hint="None ticked: the key may run every deployment.">
                  <div className="max-h-32 space-y-1 overflow-auto rounded-md border border-zinc-200 p-2">
                    {(deployments.data?.items ?? []).map((d) => (
                      <label key={d.slug} className="flex items-center gap-2 text-sm">
                        <input type="checkbox" checked={limitTo.includes(d.slug)} onChange={() => setLimitTo((v) => (v.includes(d.slug) ? v.filter((x) => x !== d.slug) : [...v, d.slug]))} />
                        <code className="font-mono text-[13px]">{d.slug}</code>
                        <span className="text-xs text-zinc-500">{d.name}</span>
                      </label>
                    ))}
                    {!deployments.data?.items.length && <p className="text-xs text-zinc-500">No deployments yet.</p>}
                  </div>
                </Field>
              )}
              <div className="grid grid-cols-2 gap-3">
                <Field label="Expires" htmlFor="key-expiry">
                  <Select id="key-expiry" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
                    {EXPIRY.map((x) => (
                      <option key={x.value} value={x.value}>
                        {x.label}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Field label="Rate limit (requests / min)" htmlFor="key-rate" hint="Empty: the server default.">
                  <Input id="key-rate" type="number" min={1} value={rate} onChange={(e) => setRate(e.target.value)} />
                </Field>
              </div>
              {create.error && <ErrorCallout error={create.error} />}
            </div>
            <div className="mt-5 flex justify-end gap-2 border-t border-zinc-200 bg-zinc-50/60 px-6 py-3">
              <Button type="button" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" variant="primary" loading={create.isPending} disabled={!name.trim() || !scopes.length}>
                Create key
              </Button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
