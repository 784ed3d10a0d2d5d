// Calls the real route handlers (app/api/**/route.ts) with real Requests, resolving the path the way
// the App Router does (literal folder first, then [param] folders). No HTTP server needed, nothing mocked.
import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";

const APP = path.resolve(import.meta.dirname, "../../app");

function resolveRoute(pathname: string): { file: string; params: Record<string, string> } {
  const segs = pathname.split("/").filter(Boolean);
  let dir = APP;
  const params: Record<string, string> = {};
  for (const seg of segs) {
    if (fs.existsSync(path.join(dir, seg))) {
      dir = path.join(dir, seg);
      continue;
    }
    const dyn = fs.readdirSync(dir).find((d) => /^\[[^.\]]+\]$/.test(d));
    if (!dyn) throw new Error(`no route for ${pathname}`);
    params[dyn.slice(1, -1)] = decodeURIComponent(seg);
    dir = path.join(dir, dyn);
  }
  return { file: path.join(dir, "route.ts"), params };
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

export async function call(method: string, url: string, opts: CallOptions = {}): Promise<Response> {
  const u = new URL(url, "http://localhost:3000");
  const { file, params } = resolveRoute(u.pathname);
  const mod = (await import(file)) as Record<string, (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>;
  const handler = mod[method];
  if (!handler) return new Response(null, { status: 405 });
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: BodyInit | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const req = new NextRequest(u, { method, headers, body });
  return handler(req, { params: Promise.resolve(params) });
}

export async function callJson<T = any>(method: string, url: string, opts: CallOptions = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await call(method, url, opts);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
