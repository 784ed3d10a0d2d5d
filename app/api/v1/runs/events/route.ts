import { withApi } from "@/lib/api/with-api";
import { SSE_HEADERS } from "@/lib/runs/run-events-stream";
import { streamRunListEvents } from "@/lib/runs/run-list-events-stream";

export const dynamic = "force-dynamic";

// GET /api/v1/runs/events – SSE for the runs board: `event: run` with the whole Run whenever any run changes
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  const stream = await streamRunListEvents({ ctx, input: { signal: req.signal } });
  return new Response(stream, { headers: SSE_HEADERS });
});
