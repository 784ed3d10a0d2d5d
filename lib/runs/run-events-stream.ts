// The run events SSE protocol (GET /api/v1/runs/{id}/events): `event: run` with the whole Run at
// every change (unchanged snapshots are not sent again), a `: keepalive` comment every 15 s, and the
// stream ends after the first terminal snapshot. Changes arrive by NOTIFY (lib/runs/listen), with a
// 3 s poll as the safety net should one be missed.
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { getRun } from "./get-run";
import { subscribeRun } from "./listen";
import { isTerminal } from "./status";

export const SSE_HEADERS = { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" } as const;
const POLL_MS = 3000;
const KEEPALIVE_MS = 15000;
const READ_TIMEOUT_MS = 10_000;

/**
 * The run's event stream. Throws (404 not_found) before any byte is streamed when the run does not
 * exist; `signal` (the request's) ends the stream when the client goes away.
 */
export async function streamRunEvents({ ctx, input }: VerbArgs<{ runId: string; signal?: AbortSignal }>): Promise<ReadableStream<Uint8Array>> {
  requirePermission(ctx.actor, "read");
  const { runId, signal } = input;
  const first = await getRun(runId);
  const enc = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      let closed = false;
      let pending = false;
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try { controller.close(); } catch {}
      };
      const send = (run: Awaited<ReturnType<typeof getRun>>) => {
        const data = JSON.stringify(run);
        if (data === last || closed) return;
        last = data;
        controller.enqueue(enc.encode(`event: run\nid: ${Date.now()}\ndata: ${data}\n\n`));
        if (isTerminal(run.status)) close();
      };
      // One read at a time; a change that arrives during a read asks for one more after it (else a
      // NOTIFY landing mid-read — outputs stored, then the final status — waits for the next poll).
      // A read that hangs (a starved pool) frees the slot after READ_TIMEOUT_MS so polls go on.
      let again = false;
      const refresh = async (): Promise<void> => {
        if (closed) return;
        if (pending) {
          again = true;
          return;
        }
        pending = true;
        again = false;
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          const run = await Promise.race([getRun(runId), new Promise<null>((r) => (timer = setTimeout(() => r(null), READ_TIMEOUT_MS)))]);
          if (run) send(run);
        } catch {
          close();
        } finally {
          clearTimeout(timer);
          pending = false;
        }
        if (again) return refresh();
      };
      const unsubscribe = subscribeRun(runId, () => void refresh());
      const poll = setInterval(() => void refresh(), POLL_MS);
      const keepalive = setInterval(() => { if (!closed) controller.enqueue(enc.encode(`: keepalive\n\n`)); }, KEEPALIVE_MS);
      cleanup = () => { unsubscribe(); clearInterval(poll); clearInterval(keepalive); };
      signal?.addEventListener("abort", close);
      send(first);
    },
    cancel() { cleanup(); },
  });
}
