import { withApi } from "@/lib/api/with-api";
import { SSE_HEADERS, streamRunEvents } from "@/lib/runs/run-events-stream";

export const dynamic = "force-dynamic";

// GET /api/v1/runs/{id}/events – SSE: `event: run` with the whole Run at every change, ends when terminal
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ req, ctx, params }) => {
  const stream = await streamRunEvents({ ctx, input: { runId: params.id, signal: req.signal } });
  return new Response(stream, { headers: SSE_HEADERS });
});
