// A recording sandbox in its own process (bench/lib/common.ts `startSandboxProcess`), so the
// process being measured (workers, createRun) does not share its event loop and its CPU share
// can be told apart. Talks to its parent over the IPC channel.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startRecordingSandbox } from "./common";

const [name, provider, faults] = process.argv.slice(2);
// How long the sandbox's own event loop stalled (GC, validation, serialising histories) since the last sync.
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const sb = await startRecordingSandbox(name, provider as "comfyui" | "runpod", JSON.parse(faults ?? "{}"));
type Msg = { type: "accepted"; id: number } | { type: "setFaults"; faults: Record<string, unknown> } | { type: "restart" } | { type: "close" };
process.on("message", async (m: Msg) => {
  if (m.type === "accepted") {
    process.send!({ type: "accepted", id: m.id, accepted: sb.accepted, lag: { maxMs: Math.round(lag.max / 1e6), p99Ms: Math.round(lag.percentile(99) / 1e6) } });
    lag.reset();
  }
  else if (m.type === "setFaults") sb.setFaults(m.faults);
  else if (m.type === "restart") sb.restart?.();
  else if (m.type === "close") {
    await sb.close().catch(() => {});
    process.exit(0);
  }
});
process.on("disconnect", () => process.exit(0));
process.send!({ type: "ready", url: sb.url });
