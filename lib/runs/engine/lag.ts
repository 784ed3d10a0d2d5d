// This process's own event-loop lag (perf_hooks monitorEventLoopDelay): how late timers and I/O
// callbacks run. When the machine is starved of CPU, a status call that "timed out" or an attempt
// that "went quiet" may be Flowgate's lateness, not the backend's; the decision core widens its
// verdicts by this lag (decide.ts: STARVED_LAG_MS, lagMs).
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

const WINDOW_MS = 1000;
let histogram: IntervalHistogram | null = null;
let previous = 0;
let current = 0;

function start() {
  histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  const t = setInterval(() => {
    // p99 of the last window, in ms; the lag reported is the worse of the last two windows.
    previous = current;
    current = histogram!.percentile(99) / 1e6;
    histogram!.reset();
  }, WINDOW_MS);
  t.unref();
}

/** The recent event-loop lag in ms (p99 over the last 1–2 s). */
export function eventLoopLagMs(): number {
  if (!histogram) start();
  return Math.max(previous, current);
}
