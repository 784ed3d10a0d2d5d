// Debug timings of the submit path, off unless FLOWGATE_TRACE_SUBMITS=1: each submit's phases
// (attempt recorded → endpoint slot → WebSocket wait → POST /prompt answered → submitted row) as
// one JSON line on stderr (`BENCH_WORKER_LOG_DIR` keeps it). For finding stalls, not for metrics.
const on = process.env.FLOWGATE_TRACE_SUBMITS === "1";
const marks = new Map<string, [string, number][]>();

export const tracing = () => on;

/** Note that `key` (an attempt id) reached `phase` now. */
export function mark(key: string, phase: string) {
  if (!on) return;
  let m = marks.get(key);
  if (!m) marks.set(key, (m = []));
  m.push([phase, performance.now()]);
}

/** Write `key`'s phases (ms since its first mark, and the gap before each) and forget them. */
export function flush(key: string, extra: Record<string, unknown> = {}) {
  if (!on) return;
  const m = marks.get(key);
  marks.delete(key);
  if (!m?.length) return;
  const t0 = m[0][1];
  const phases = Object.fromEntries(m.map(([p, t], i) => [p, [Math.round(t - t0), Math.round(t - (i ? m[i - 1][1] : t0))]]));
  process.stderr.write(JSON.stringify({ trace: "submit", key, at: Date.now(), phases, ...extra }) + "\n");
}
