// A real HTTP server in front of the real route handlers (the same in-process dispatch as
// tests/helpers/api.ts): for clients that speak HTTP — the CLI in a child process, openapi-fetch.
import http from "node:http";
import type { AddressInfo } from "node:net";
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
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && k !== "host" && k !== "connection") headers[k] = Array.isArray(v) ? v.join(", ") : v;
      headers["x-forwarded-for"] ??= req.socket.remoteAddress ?? "127.0.0.1";
      const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      const r = await call(req.method ?? "GET", req.url ?? "/", { headers, rawBody: body });
      const out: Record<string, string> = {};
      r.headers.forEach((v, k) => (out[k] = v));
      res.writeHead(r.status, out);
      if (r.body) for await (const c of r.body as unknown as AsyncIterable<Uint8Array>) res.write(c);
      res.end();
    } catch (err) {
      const message = (err as Error).message;
      res.writeHead(/no route/.test(message) ? 404 : 500, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "not_found", message } }));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
