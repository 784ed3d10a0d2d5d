import { withApi } from "@/lib/api/with-api";
import { getRun } from "@/lib/runs/get-run";
import { subscribeRun } from "@/lib/runs/listen";
import { isTerminal } from "@/lib/runs/status";

export const dynamic = "force-dynamic";

// GET /api/v1/runs/{id}/events – SSE: `event: run` with the whole Run at every change, ends when terminal
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ req, params }) => {
  const first = await getRun(params.id); // 404 before the stream starts
  const enc = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
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
      const refresh = async () => {
        if (pending || closed) return;
        pending = true;
        try { send(await getRun(params.id)); } catch { close(); } finally { pending = false; }
      };
      const unsubscribe = subscribeRun(params.id, () => void refresh());
      const poll = setInterval(() => void refresh(), 3000); // safety net if a NOTIFY is missed
      const keepalive = setInterval(() => { if (!closed) controller.enqueue(enc.encode(`: keepalive\n\n`)); }, 15000);
      cleanup = () => { unsubscribe(); clearInterval(poll); clearInterval(keepalive); };
      req.signal.addEventListener("abort", close);
      send(first);
    },
    cancel() { cleanup(); },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
});
