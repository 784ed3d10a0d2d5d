// This process's own event-loop lag (perf_hooks monitorEventLoopDelay): how late timers and I/O
// callbacks run. When the machine is starved of CPU, a status call that "timed out" or an attempt
// that "went quiet" may be Flowgate's lateness, not the backend's; the decision core widens its
// verdicts by this lag (decide.ts: STARVED_LAG_MS, lagMs), and health checks re-check or defer a
// timed-out verdict (lib/endpoints/health-verdict.ts, eventLoopLagSinceMs).
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

const WINDOW_MS = 1000;
/** Windows kept for eventLoopLagSinceMs (a health check lasts at most a minute or so). */
const KEEP = 120;
let histogram: IntervalHistogram | null = null;
let previous = 0;
let current = 0;
/** The p99 of each closed window, newest last, with the time it closed. */
const windows: { endedAt: number; p99: number }[] = [];

const p99 = (h: IntervalHistogram) => (h.count > 0 ? h.percentile(99) / 1e6 : 0);

function start() {
  histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  const t = setInterval(() => {
    // p99 of the last window, in ms; the lag reported is the worse of the last two windows.
    previous = current;
    current = p99(histogram!);
    histogram!.reset();
    windows.push({ endedAt: Date.now(), p99: current });
    if (windows.length > KEEP) windows.shift();
  }, WINDOW_MS);
  t.unref();
}

/** The recent event-loop lag in ms (p99 over the last 1–2 s). */
export function eventLoopLagMs(): number {
  if (!histogram) start();
  return Math.max(previous, current);
}

/**
 * The worst event-loop lag (ms, p99 per 1 s window) since `since` (ms epoch): every window that
 * overlaps it, and the window still open. For a verdict about something that took since → now.
 */
export function eventLoopLagSinceMs(since: number): number {
  if (!histogram) start();
  let worst = p99(histogram!);
  for (let i = windows.length - 1; i >= 0; i--) {
    if (windows[i].endedAt < since) break;
    worst = Math.max(worst, windows[i].p99);
  }
  return worst;
}
