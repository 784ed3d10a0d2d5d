// Every /api/v1 route handler is wrapped here: authentication (API key or browser session, with
// rate limits and, for cookie writes, the same-origin check: lib/security), the permission check,
// and mapping any error to API.md's error shape. Handlers read like the spec.
import { NextResponse, type NextRequest } from "next/server";
import { ZodError } from "zod";
import { ApiError } from "@/lib/errors";
import { verifyApiKey } from "@/lib/auth/api-keys";
import { getSessionUser, sessionTokenFromCookies } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/roles";
import { log } from "@/lib/log";
import { assertSameOrigin } from "@/lib/security/csrf";
import { clientIp } from "@/lib/security/client-ip";
import { enforce, limitFor } from "@/lib/security/rate-limit";

export interface ApiContext<P> {
  req: NextRequest;
  actor: Actor;
  params: P;
}

type RouteCtx<P> = { params: Promise<P> };

export function withApi<P = Record<string, string>>(
  opts: { permission: Permission },
  handler: (ctx: ApiContext<P>) => Promise<Response>,
) {
  return async (req: NextRequest, routeCtx: RouteCtx<P>): Promise<Response> => {
    try {
      const actor = await authenticate(req);
      requirePermission(actor, opts.permission);
      const params = (await routeCtx?.params) ?? ({} as P);
      return await handler({ req, actor, params });
    } catch (err) {
      return errorResponse(err, req);
    }
  };
}

export async function authenticate(req: Request): Promise<Actor> {
  const header = req.headers.get("authorization");
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header);
    const key = m ? await verifyApiKey(m[1]) : null;
    if (!key) {
      // Bad keys count against the caller's address; past the limit it gets 429, not another guess.
      await enforce([limitFor("FLOWGATE_RATE_LIMIT_BAD_KEYS", `badkey:ip:${clientIp(req)}`)], "requests with an invalid API key");
      if (!m) throw new ApiError("unauthorized", "The Authorization header must be \"Bearer <api key>\".");
      throw new ApiError("unauthorized", "The API key is not valid (unknown, revoked or mistyped). Create one with `flowgate apikey create --name NAME`.");
    }
    await enforce([limitFor("FLOWGATE_RATE_LIMIT_API", `api:key:${key.id}`)], "requests with this API key");
    return key;
  }
  // Only a request carrying a cookie can have a browser session; its writes must be same-origin.
  if (sessionTokenFromCookies(req.headers.get("cookie"))) {
    assertSameOrigin(req);
    const user = await getSessionUser(req);
    if (user) {
      await enforce([limitFor("FLOWGATE_RATE_LIMIT_API", `api:user:${user.id}`)], "requests from your account");
      return { type: "user", id: user.id, email: user.email, role: user.role };
    }
  }
  throw new ApiError("unauthorized", "Sign in, or send an API key as \"Authorization: Bearer <api key>\".");
}

export function errorResponse(err: unknown, req?: Request): Response {
  if (err instanceof ApiError) {
    const headers: Record<string, string> = {};
    if (err.status === 429 && err.details?.retryAfterSeconds) headers["Retry-After"] = String(err.details.retryAfterSeconds);
    return NextResponse.json(err.toBody(), { status: err.status, headers });
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const first = issues[0];
    return NextResponse.json(
      { error: { code: "validation_failed", message: first ? `${first.path || "body"}: ${first.message}` : "The request body is not valid.", details: { issues } } },
      { status: 400 },
    );
  }
  const code = (err as { code?: unknown })?.code;
  if (err instanceof Error && err.name === "WorkflowError" && typeof code === "string") {
    const status = code === "workflow_too_large" ? 413 : code === "workflow_not_json" ? 400 : 422;
    const details = (err as { details?: Record<string, unknown> }).details;
    return NextResponse.json({ error: { code, message: err.message, ...(details ? { details } : {}) } }, { status });
  }
  log.error("unhandled error in API route", { url: req?.url, err: err instanceof Error ? err.stack : String(err) });
  return NextResponse.json({ error: { code: "internal_error", message: "Something went wrong on our side. The error was logged; try again, and report it if it persists." } }, { status: 500 });
}

/** Parse a JSON body with a clear error for bad JSON / wrong media type / size. */
export async function readJson(req: Request, maxBytes = 60 * 1024 * 1024): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (type && !/application\/(.*\+)?json/i.test(type)) {
    throw new ApiError("unsupported_media_type", `Send JSON with "Content-Type: application/json" (got "${type}").`);
  }
  const len = Number(req.headers.get("content-length") ?? 0);
  if (len > maxBytes) throw new ApiError("payload_too_large", `The body is ${len} bytes; the limit is ${maxBytes}.`);
  const text = await req.text();
  if (text.length > maxBytes) throw new ApiError("payload_too_large", `The body is larger than the ${maxBytes}-byte limit.`);
  if (!text.trim()) throw new ApiError("invalid_json", "The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError("invalid_json", `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

export function json(body: unknown, status = 200, headers?: Record<string, string>) {
  return NextResponse.json(body, { status, headers });
}
