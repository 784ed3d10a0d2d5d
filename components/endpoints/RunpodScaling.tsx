"use client";
// The scaling knobs of a RunPod endpoint Flowgate can manage (managementUrl set, e.g. created by
// provisioning): workers min/max, idle timeout, FlashBoot, execution timeout, changed at RunPod through
// PATCH /api/v1/provision/runpod-endpoints/{id}; the answer shows what RunPod reported before and after.
import { useState } from "react";
import { useUpdateRunpodScaling, type RunpodScalingChange } from "../queries";
import { Button, Card, CardBody, CardHeader, ErrorCallout, Field, Input } from "../ui";

type Scaling = { workersMin?: number; workersMax?: number; idleTimeout?: number; flashboot?: boolean };

export function runpodScalingOf(provider: string, config: unknown): { scaling: Scaling; executionTimeoutMs?: number } | null {
  if (provider !== "runpod" || !config || typeof config !== "object") return null;
  const c = config as Record<string, unknown>;
  if (typeof c.managementUrl !== "string" || !c.managementUrl) return null;
  const scaling = c.scaling && typeof c.scaling === "object" ? (c.scaling as Scaling) : {};
  return { scaling, executionTimeoutMs: typeof c.executionTimeoutMs === "number" ? c.executionTimeoutMs : undefined };
}

const num = (v: string) => (v.trim() === "" ? undefined : Number(v));

export function RunpodScaling({ id, scaling, executionTimeoutMs }: { id: string; scaling: Scaling; executionTimeoutMs?: number }) {
  const update = useUpdateRunpodScaling(id);
  const [f, setF] = useState({
    workersMin: String(scaling.workersMin ?? ""),
    workersMax: String(scaling.workersMax ?? ""),
    idleTimeout: String(scaling.idleTimeout ?? ""),
    executionTimeoutS: executionTimeoutMs ? String(Math.round(executionTimeoutMs / 1000)) : "",
    flashboot: scaling.flashboot ?? true,
  });
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, [k]: e.target.type === "checkbox" ? e.target.checked : e.target.value });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body: RunpodScalingChange = { flashboot: f.flashboot };
    const wMin = num(f.workersMin), wMax = num(f.workersMax), idle = num(f.idleTimeout), exec = num(f.executionTimeoutS);
    if (wMin !== undefined) body.workersMin = wMin;
    if (wMax !== undefined) body.workersMax = wMax;
    if (idle !== undefined) body.idleTimeout = idle;
    if (exec !== undefined) body.executionTimeoutMs = exec * 1000;
    update.mutate(body);
  };
  const r = update.data;
  return (
    <Card>
      <CardHeader title="Scaling (RunPod)" description="Changed at RunPod through its API with this endpoint's key; recorded in the audit log with before and after." />
      <CardBody>
        <form onSubmit={submit} className="grid grid-cols-2 gap-3 lg:grid-cols-5" data-testid="runpod-scaling">
          <Field label="Workers min" htmlFor="sc-min" hint="Always-on (billed while idle)">
            <Input id="sc-min" type="number" min={0} max={100} value={f.workersMin} onChange={set("workersMin")} />
          </Field>
          <Field label="Workers max" htmlFor="sc-max">
            <Input id="sc-max" type="number" min={0} max={100} value={f.workersMax} onChange={set("workersMax")} />
          </Field>
          <Field label="Idle timeout (s)" htmlFor="sc-idle">
            <Input id="sc-idle" type="number" min={1} max={3600} value={f.idleTimeout} onChange={set("idleTimeout")} />
          </Field>
          <Field label="Execution timeout (s)" htmlFor="sc-exec">
            <Input id="sc-exec" type="number" min={10} max={86400} value={f.executionTimeoutS} onChange={set("executionTimeoutS")} />
          </Field>
          <label className="flex items-center gap-2 self-end pb-2 text-sm text-zinc-700">
            <input type="checkbox" checked={f.flashboot} onChange={set("flashboot")} /> FlashBoot
          </label>
          <div className="col-span-2 flex items-center gap-3 lg:col-span-5">
            <Button type="submit" disabled={update.isPending}>
              {update.isPending ? "Saving…" : "Save scaling"}
            </Button>
            {r && (
              <p className="text-sm text-zinc-600" data-testid="runpod-scaling-result">
                RunPod now reports workers {r.after.workersMin ?? "?"}–{r.after.workersMax ?? "?"}, idle {r.after.idleTimeout ?? "?"} s{r.after.flashboot ? ", FlashBoot" : ""} (was {r.before.workersMin ?? "?"}–{r.before.workersMax ?? "?"}, idle {r.before.idleTimeout ?? "?"} s).
              </p>
            )}
          </div>
        </form>
        {update.error && <ErrorCallout className="mt-3" error={update.error} title="RunPod's scaling was not changed" />}
      </CardBody>
    </Card>
  );
}
