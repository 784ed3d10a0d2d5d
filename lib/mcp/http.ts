// POST /api/mcp: the Model Context Protocol over Streamable HTTP, stateless — a new server and
// transport per request, so any app instance can answer any request. Authenticated like the API
// (lib/api/with-api.ts: the same key check and rate limits), but bearer keys only: MCP clients carry
// no browser session, and taking none keeps cookie-borne cross-site writes out.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { authenticate, errorResponse } from "@/lib/api/with-api";
import { ApiError } from "@/lib/errors";
import { requestCtx } from "@/lib/context";
import { mcpActor } from "./actor";
import { buildMcpServer } from "./server";

/** MCP requests carry tool arguments (base64 images included) as JSON-RPC; bounded like a run body. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Where signed links point: FLOWGATE_PUBLIC_URL when set, else the host the client addressed (its
 * Host header, as sent: Next.js rewrites 127.0.0.1 to localhost in req.url).
 */
export function publicBaseUrl(req: Request): string {
  const configured = process.env.FLOWGATE_PUBLIC_URL?.replace(/\/+$/, "");
  if (configured) return configured;
  const url = new URL(req.url);
  const host = req.headers.get("host");
  return host && /^[A-Za-z0-9.:[\]-]{1,300}$/.test(host) ? `${url.protocol}//${host}` : url.origin;
}

function jsonRpcError(status: number, code: number, message: string, data?: Record<string, unknown>, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message, ...(data ? { data } : {}) }, id: null }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export async function handleMcpPost(req: Request): Promise<Response> {
  let actor;
  try {
    if (!req.headers.get("authorization")) throw new ApiError("unauthorized", 'Send an API key as "Authorization: Bearer <api key>" (create one in Flowgate: flowgate apikey create --name NAME).');
    actor = await authenticate(req);
  } catch (err) {
    if (err instanceof ApiError) {
      const headers: Record<string, string> = {};
      if (err.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="flowgate"';
      if (err.status === 429 && err.details?.retryAfterSeconds) headers["Retry-After"] = String(err.details.retryAfterSeconds);
      return jsonRpcError(err.status, err.status === 401 ? -32001 : -32000, err.message, { code: err.code, ...(err.details ?? {}) }, headers);
    }
    return errorResponse(err, req);
  }
  const server = buildMcpServer({ ctx: requestCtx(mcpActor(actor), req), baseUrl: publicBaseUrl(req) });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, maxRequestBodySize: MAX_BODY_BYTES });
  await server.connect(transport);
  // The client going away ends any wait in progress (tools get the request's abort signal).
  req.signal?.addEventListener("abort", () => void server.close().catch(() => {}), { once: true });
  return transport.handleRequest(req);
}

/** GET (a server-initiated SSE stream) and DELETE (end a session) mean nothing without sessions: 405. */
export function methodNotAllowed(): Response {
  return jsonRpcError(405, -32000, "Method not allowed: this MCP server is stateless; send JSON-RPC messages with POST.", undefined, { Allow: "POST" });
}
