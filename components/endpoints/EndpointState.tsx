"use client";
// Pieces of an endpoint's on-call state shared by the endpoint page, the endpoints board and the
// overview: the state badge (the server decides the state: lib/endpoints/get-endpoint-state.ts),
// what Restart does per provider, and the health sparkline.
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { EndpointState } from "../queries";
import { Badge, type Tone } from "../ui";

const STATE_TONE: Record<EndpointState["state"], { tone: Tone; label: string }> = {
  healthy: { tone: "green", label: "Healthy" },
  degraded: { tone: "amber", label: "Degraded" },
  down: { tone: "red", label: "Down" },
  disabled: { tone: "neutral", label: "Disabled (draining)" },
  unknown: { tone: "neutral", label: "Not checked" },
};

export function StateBadge({ state, className }: { state: EndpointState["state"]; className?: string }) {
  const s = STATE_TONE[state];
  return (
    <Badge tone={s.tone} dot pulse={state === "degraded" || state === "down"} className={className}>
      <span data-testid="endpoint-state">{s.label}</span>
    </Badge>
  );
}

/** What Restart does, per provider (the adapters in lib/providers; the README's On-call section says the same). */
export const RESTART_DOES: Record<string, string> = {
  comfyui:
    "ComfyUI: interrupts the running prompt, clears the queue and frees models and memory (/interrupt, /queue clear, /free), then calls the server's restart hook when config.restartUrl is set.",
  runpod:
    "RunPod: purges the endpoint's queue (/purge-queue), then cycles its workers through RunPod's management API — Max Workers set to 0, then back — so wedged or throttled workers are replaced. Needs config.managementUrl (https://rest.runpod.io/v1); without it the restart is refused and says what to do in the RunPod console.",
  runcomfy: "RunComfy: its API has no restart or queue purge; cancel the affected runs or disable (drain) the endpoint instead.",
};

export function restartSupported(provider: string): boolean {
  return provider !== "runcomfy";
}

/** The last hour's health checks: latency (area) with failed checks marked in red below. */
export function HealthSparkline({ history, height = 64 }: { history: NonNullable<EndpointState["history"]>; height?: number }) {
  if (!history.length) return <p className="text-xs text-zinc-400">No health checks in the last hour.</p>;
  const data = history.map((h) => ({ t: new Date(h.at).getTime(), latency: h.latencyMs, ok: h.ok, queue: h.queueDepth ?? 0 }));
  return (
    <div data-testid="health-sparkline">
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={data} margin={{ top: 4, right: 0, bottom: 0, left: 0 }}>
            <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} hide />
            <YAxis hide domain={[0, "dataMax"]} />
            <Tooltip
              labelFormatter={(t) => new Date(Number(t)).toLocaleTimeString()}
              formatter={(v, name) => [name === "latency" ? `${v} ms` : String(v), name === "latency" ? "latency" : "queue"]}
            />
            <Area type="monotone" dataKey="queue" stroke="#f59e0b" fill="#fef3c7" strokeWidth={1.5} isAnimationActive={false} />
            <Area type="monotone" dataKey="latency" stroke="#6366f1" fill="#e0e7ff" strokeWidth={1.5} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <div className="mt-1 flex h-2 gap-px" aria-label="Health checks, oldest first">
        {history.slice(-120).map((h, i) => (
          <span key={i} title={`${new Date(h.at).toLocaleTimeString()}: ${h.ok ? "ok" : "failed"}`} className={`flex-1 rounded-sm ${h.ok ? "bg-emerald-400" : "bg-red-500"}`} />
        ))}
      </div>
    </div>
  );
}
