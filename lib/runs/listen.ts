// One LISTEN connection per process fans NOTIFYs out to SSE streams and waiting requests.
import pg from "pg";
import { log } from "@/lib/log";
import { RUN_CHANNEL } from "./channel";

type Listener = (runId: string) => void;
interface ListenState { client?: pg.Client; connecting?: Promise<void>; subs: Map<string, Set<Listener>> }
const g = globalThis as unknown as { __flowgateListen?: ListenState };
const state: ListenState = (g.__flowgateListen ??= { subs: new Map<string, Set<Listener>>() });

async function ensureConnected() {
  if (state.client) return;
  state.connecting ??= (async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    client.on("notification", (msg) => {
      if (!msg.payload) return;
      for (const fn of state.subs.get(msg.payload) ?? []) fn(msg.payload);
      for (const fn of state.subs.get(ANY) ?? []) fn(msg.payload);
    });
    client.on("error", (err) => {
      log.warn("run event listener lost its connection; reconnecting", { err: err.message });
      state.client = undefined;
      state.connecting = undefined;
      setTimeout(() => void ensureConnected().catch(() => {}), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${RUN_CHANNEL}`);
    state.client = client;
  })().finally(() => {
    state.connecting = undefined;
  });
  await state.connecting;
}

/** The key list-level subscribers (every run's changes) are filed under. */
const ANY = "*";

/** Every run's changes (the runs board's one stream): `fn` gets each changed run's id. */
export function subscribeAllRuns(fn: Listener): () => void {
  return subscribeRun(ANY, fn);
}

export function subscribeRun(runId: string, fn: Listener): () => void {
  let set = state.subs.get(runId);
  if (!set) state.subs.set(runId, (set = new Set()));
  set.add(fn);
  void ensureConnected().catch((err) => log.warn("could not LISTEN for run events", { err: String(err) }));
  return () => {
    set!.delete(fn);
    if (set!.size === 0) state.subs.delete(runId);
  };
}
