// Bounded concurrency per endpoint for provider submits: a burst of runs submits in parallel, but
// never more than `FLOWGATE_SUBMIT_CONCURRENCY` requests at once to one endpoint (a ComfyUI server
// queues prompts itself and serves HTTP on one event loop; a serverless API rate-limits callers).
// The rest wait their turn in order.
const limit = () => Math.max(1, Number(process.env.FLOWGATE_SUBMIT_CONCURRENCY ?? 16));

class Gate {
  private active = 0;
  private waiting: (() => void)[] = [];
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= limit()) await new Promise<void>((r) => this.waiting.push(r));
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
}

const gates = new Map<string, Gate>();

/** Run `fn` (one submit) within the endpoint's concurrency bound. */
export async function withEndpointSlot<T>(endpointId: string, fn: () => Promise<T>): Promise<T> {
  let g = gates.get(endpointId);
  if (!g) gates.set(endpointId, (g = new Gate()));
  try {
    return await g.run(fn);
  } finally {
    if (g.idle) gates.delete(endpointId);
  }
}
