// Group commit for the engine's hot writes: calls made in the same tick, or while the previous
// statements are still in flight, share ONE multi-row statement. On 2 shared cores a round trip
// (socket write, wake-up of PostgreSQL) costs more than the rows it carries, so a burst of 300
// runs pays a few statements instead of 300. A quiet worker pays nothing extra: a lone call is
// sent on the next tick. Each batch holds at most one call per key (a run): the conditions a
// statement checks per row (a lease held, no other live attempt) read the table as it was before
// the statement, so two rows of one run must never meet in one statement.

export interface BatchOptions {
  /** Statements of this kind in flight at once; calls arriving meanwhile wait for the next one. */
  maxInFlight: number;
  /** Rows per statement. */
  maxBatch: number;
}

interface Waiter<I, O> {
  key: string;
  input: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/** A PostgreSQL deadlock aborts the whole statement (nothing of it is committed): safe to send again. */
const DEADLOCK = "40P01";

export class Batcher<I, O> {
  private queue: Waiter<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  /** `run` gets the inputs of one batch and returns one output per input, in order. */
  constructor(
    private run: (inputs: I[]) => Promise<O[]>,
    private opts: BatchOptions,
  ) {}

  call(key: string, input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ key, input, resolve, reject });
      this.kick();
    });
  }

  /** Send one call in a statement of its own, at once (not waiting for the group), with the same deadlock retry. */
  now(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => void this.send([{ key: "", input, resolve, reject }]));
  }

  private kick() {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight || !this.queue.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length) {
      const batch: Waiter<I, O>[] = [];
      const rest: Waiter<I, O>[] = [];
      const keys = new Set<string>();
      for (const w of this.queue) {
        if (batch.length < this.opts.maxBatch && !keys.has(w.key)) (keys.add(w.key), batch.push(w));
        else rest.push(w);
      }
      this.queue = rest;
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.kick();
      });
    }
  }

  private async send(batch: Waiter<I, O>[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.run(batch.map((w) => w.input));
        batch.forEach((w, i) => w.resolve(out[i]));
        return;
      } catch (err) {
        if ((err as { code?: string })?.code === DEADLOCK && attempt < 3) continue;
        for (const w of batch) w.reject(err);
        return;
      }
    }
  }
}
