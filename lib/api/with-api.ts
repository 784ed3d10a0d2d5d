// Every /api/v1 route handler is wrapped here: authentication (API key or browser session, with
// rate limits and, for cookie writes, the same-origin check: lib/security), the permission check,
// and mapping any error to API.md's error shape. Handlers read like the spec.
import { NextResponse, type NextRequest } from "next/server";
import { ZodError } from "zod";
import { ApiError, statusOfCode } from "@/lib/errors";
import { checkApiKey, type KeyActor } from "@/lib/auth/api-keys";
import { getSessionUser, sessionTokenFromCookies } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/roles";
import { log } from "@/lib/log";
import { checkRouteInput, LIMITS, readJsonBody, type JsonCheckOptions } from "@/lib/api/input";
import { databaseErrorResponse } from "@/lib/api/db-errors";
import { assertSameOrigin } from "@/lib/security/csrf";
import { clientIp } from "@/lib/security/client-ip";
import { enforce, limitFor, type Limit } from "@/lib/security/rate-limit";
import { requestCtx, type Ctx } from "@/lib/context";

export interface ApiContext<P> {
  req: NextRequest;
  actor: Actor;
  params: P;
  /** The verb context: the actor and a request id (X-Request-Id when sent). Pass it to lib/ verbs. */
  ctx: Ctx;
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
      checkRouteInput(params as Record<string, unknown>, req.url);
      return await handler({ req, actor, params, ctx: requestCtx(actor, req) });
    } catch (err) {
      return errorResponse(err, req);
    }
  };
}

export async function authenticate(req: Request): Promise<Actor> {
  const header = req.headers.get("authorization");
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header);
    const ip = clientIp(req);
    const check = m ? await checkApiKey(m[1], ip) : null;
    if (!check?.ok) {
      // Bad keys count against the caller's address; past the limit it gets 429, not another guess.
      await enforce([limitFor("FLOWGATE_RATE_LIMIT_BAD_KEYS", `badkey:ip:${ip}`)], "requests with an invalid API key");
      if (!m) throw new ApiError("unauthorized", "The Authorization header must be \"Bearer <api key>\".");
      if (check?.reason === "revoked") throw new ApiError("api_key_revoked", `This API key was revoked at ${check.at!.toISOString()}. Create a new one (API keys page or \`flowgate keys create\`).`, { revokedAt: check.at!.toISOString() });
      if (check?.reason === "expired") throw new ApiError("api_key_expired", `This API key expired at ${check.at!.toISOString()}. Create a new one (API keys page or \`flowgate keys create\`).`, { expiresAt: check.at!.toISOString() });
      throw new ApiError("unauthorized", "The API key is not valid (unknown or mistyped). Create one on the API keys page, with `flowgate keys create`, or `flowgate apikey create --name NAME`.");
    }
    await enforce([keyRateLimit(check.actor)], "requests with this API key");
    return check.actor;
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

/** A key's own limit (rateLimitPerMinute) when it has one, else FLOWGATE_RATE_LIMIT_API; one bucket per key. */
export function keyRateLimit(key: Pick<KeyActor, "id" | "rateLimitPerMinute">): Limit {
  const bucket = `api:key:${key.id}`;
  return key.rateLimitPerMinute ? { bucket, limit: key.rateLimitPerMinute, windowSeconds: 60 } : limitFor("FLOWGATE_RATE_LIMIT_API", bucket);
}

export function errorResponse(err: unknown, req?: Request): Response {
  if (err instanceof ApiError) {
    const headers: Record<string, string> = {};
    if ((err.status === 429 || err.status === 503) && err.details?.retryAfterSeconds) headers["Retry-After"] = String(err.details.retryAfterSeconds);
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
    const status = statusOfCode(code);
    const details = (err as { details?: Record<string, unknown> }).details;
    return NextResponse.json({ error: { code, message: err.message, ...(details ? { details } : {}) } }, { status });
  }
  const dbResponse = databaseErrorResponse(err, req);
  if (dbResponse) return dbResponse;
  log.error("unhandled error in API route", { url: req?.url, err: err instanceof Error ? err.stack : String(err) });
  return NextResponse.json({ error: { code: "internal_error", message: "Something went wrong on our side. The error was logged; try again, and report it if it persists." } }, { status: 500 });
}

/** Parse a JSON body with a clear error for bad JSON / wrong media type / size / text PostgreSQL cannot store (lib/api/input.ts). */
export async function readJson(req: Request, maxBytes: number = LIMITS.jsonBodyBytes, opts?: JsonCheckOptions): Promise<unknown> {
  return readJsonBody(req, maxBytes, opts);
}

export function json(body: unknown, status = 200, headers?: Record<string, string>) {
  return NextResponse.json(body, { status, headers });
}
