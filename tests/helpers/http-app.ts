// A real HTTP server over the real route handlers (app/api/**/route.ts, resolved like the App Router
// by helpers/api.ts): for clients that must speak HTTP themselves — the MCP SDK's client, a plain
// fetch of a signed link. Responses are streamed as they are written (SSE included).
import http from "node:http";
import { call } from "./api";

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const url = `http://${req.headers.host}${req.url}`;
      const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      const r = await call(req.method ?? "GET", url, { headers, rawBody: body });
      const out: Record<string, string[]> = {};
      r.headers.forEach((v, k) => (out[k] ??= []).push(v));
      res.writeHead(r.status, out);
      if (!r.body) return void res.end();
      const reader = r.body.getReader();
      req.on("close", () => void reader.cancel().catch(() => {}));
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
      res.end();
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
