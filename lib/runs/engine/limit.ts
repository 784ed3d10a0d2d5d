// Bounded concurrency per endpoint for provider calls, per worker: a burst of runs submits in
// parallel, but never more than `FLOWGATE_SUBMIT_CONCURRENCY` submits at once to one endpoint (a
// ComfyUI server queues prompts itself and serves HTTP on one event loop; a serverless API
// rate-limits callers), and never more than `FLOWGATE_STATUS_CONCURRENCY` status calls (a poll,
// with the output downloads of a finished job). Without the second bound a worker driving n runs
// polled with n requests at once: n keep-alive connections to one server, whose new ones waited
// in its accept queue for seconds — and a second worker's first submits waited behind them
// (bench:scale). Submits and status calls have separate slots, so polls never delay a submit.
// The rest wait their turn in order.
export type SlotKind = "submit" | "status";
const limit = (kind: SlotKind) =>
  Math.max(1, Number((kind === "submit" ? process.env.FLOWGATE_SUBMIT_CONCURRENCY : process.env.FLOWGATE_STATUS_CONCURRENCY) ?? 16));

class Gate {
  private active = 0;
  private waiting: (() => void)[] = [];
  constructor(private kind: SlotKind) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= limit(this.kind)) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next caller
      else this.active--;
    }
  }
  get idle() {
    return this.active === 0 && this.waiting.length === 0;
  }
  get stats() {
    return { active: this.active, waiting: this.waiting.length };
  }
}

const gates = new Map<string, Gate>();

/** Run `fn` (one submit, or one status call) within the endpoint's concurrency bound for that kind. */
export async function withEndpointSlot<T>(endpointId: string, fn: () => Promise<T>, kind: SlotKind = "submit"): Promise<T> {
  const key = `${kind}\u0000${endpointId}`;
  let g = gates.get(key);
  if (!g) gates.set(key, (g = new Gate(kind)));
  try {
    return await g.run(fn);
  } finally {
    if (g.idle) gates.delete(key);
  }
}

/** Calls holding a slot and calls waiting for one (tests, debugging). */
export function endpointSlots(endpointId: string, kind: SlotKind = "submit") {
  return gates.get(`${kind}\u0000${endpointId}`)?.stats ?? { active: 0, waiting: 0 };
}
