// The runs board's one stream (GET /api/v1/runs/events): `event: run` with the whole Run each time
// any run changes (created, status, progress, attempt), for every run the caller may read — one
// connection for the whole list, not one per row. Changes arrive by NOTIFY (lib/runs/listen) and
// are sent in batches at most every 250 ms (a run changing ten times in a batch is sent once);
// `: keepalive` every 15 s. The stream never ends on its own; the client reconnects (EventSource).
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { runInclude, serializeRun } from "./serialize";
import { subscribeAllRuns } from "./listen";

const BATCH_MS = 250;
const KEEPALIVE_MS = 15000;
const MAX_BATCH = 200;

export async function streamRunListEvents({ ctx, input }: VerbArgs<{ signal?: AbortSignal }>): Promise<ReadableStream<Uint8Array>> {
  requirePermission(ctx.actor, "read");
  const { signal } = input;
  const enc = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const changed = new Set<string>();
      let timer: NodeJS.Timeout | undefined;
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try { controller.close(); } catch {}
      };
      const flush = async () => {
        timer = undefined;
        if (closed || !changed.size) return;
        const ids = [...changed].slice(0, MAX_BATCH);
        for (const id of ids) changed.delete(id);
        try {
          const rows = await dbOf(ctx).run.findMany({ where: { id: { in: ids } }, include: runInclude });
          for (const row of rows) if (!closed) controller.enqueue(enc.encode(`event: run\ndata: ${JSON.stringify(serializeRun(row))}\n\n`));
        } catch {
          close();
          return;
        }
        if (changed.size) timer = setTimeout(() => void flush(), BATCH_MS);
      };
      const unsubscribe = subscribeAllRuns((runId) => {
        changed.add(runId);
        timer ??= setTimeout(() => void flush(), BATCH_MS);
      });
      const keepalive = setInterval(() => { if (!closed) controller.enqueue(enc.encode(`: keepalive\n\n`)); }, KEEPALIVE_MS);
      cleanup = () => { unsubscribe(); clearInterval(keepalive); if (timer) clearTimeout(timer); };
      signal?.addEventListener("abort", close);
      controller.enqueue(enc.encode(`: connected\n\n`));
    },
    cancel() { cleanup(); },
  });
}
