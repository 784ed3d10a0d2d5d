// Rate limits shared by every app instance: fixed-window counters in PostgreSQL ("RateLimit" table),
// one upsert per check whatever the number of buckets. A bucket is a string such as
// "signin:acct:alice@example.com"; its window starts on a multiple of the window length (database
// clock, so instances with skewed clocks agree). Limits come from the environment (README, Security).
import { pool } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { log } from "@/lib/log";

export interface Limit {
  bucket: string;
  /** Requests allowed per window; 0 = no limit. */
  limit: number;
  windowSeconds: number;
}

export interface Verdict {
  ok: boolean;
  /** Seconds until the window of the exceeded bucket ends (0 when ok). */
  retryAfterSeconds: number;
  /** The first exceeded bucket. */
  exceeded?: Limit;
}

export interface LimitSetting {
  limit: number;
  windowSeconds: number;
}

const DEFAULTS = {
  FLOWGATE_RATE_LIMIT_SIGNIN_ACCOUNT: "10/15m",
  FLOWGATE_RATE_LIMIT_SIGNIN_IP: "50/15m",
  FLOWGATE_RATE_LIMIT_API: "600/1m",
  FLOWGATE_RATE_LIMIT_BAD_KEYS: "30/15m",
} as const;
export type LimitName = keyof typeof DEFAULTS;

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** "10/15m" → 10 per 900 s; "0" or "off" → no limit. */
export function parseLimit(text: string): LimitSetting | null {
  const t = text.trim().toLowerCase();
  if (t === "0" || t === "off") return { limit: 0, windowSeconds: 60 };
  const m = /^(\d+)\s*\/\s*(\d+)?\s*(s|m|h)?$/.exec(t);
  if (!m) return null;
  const windowSeconds = Number(m[2] ?? 1) * UNIT[m[3] ?? "s"];
  if (!windowSeconds) return null;
  return { limit: Number(m[1]), windowSeconds };
}

export function limitSetting(name: LimitName): LimitSetting {
  const raw = process.env[name];
  if (raw !== undefined && raw !== "") {
    const parsed = parseLimit(raw);
    if (parsed) return parsed;
    log.warn(`${name} is not of the form COUNT/WINDOW (e.g. 10/15m); using the default`, { value: raw, default: DEFAULTS[name] });
  }
  return parseLimit(DEFAULTS[name])!;
}

export function limitFor(name: LimitName, bucket: string): Limit {
  return { bucket, ...limitSetting(name) };
}

let lastSweep = 0;

/** Count one request against each bucket; not ok when any bucket is now over its limit. */
export async function hit(limits: Limit[]): Promise<Verdict> {
  const active = dedupe(limits.filter((l) => l.limit > 0));
  if (!active.length) return { ok: true, retryAfterSeconds: 0 };
  const { rows } = await pool().query<{ bucket: string; count: number; retry: string }>(
    `WITH input AS (
       SELECT b, w, to_timestamp(floor(extract(epoch FROM now()) / w) * w) AS ws
       FROM unnest($1::text[], $2::int[]) AS t(b, w)
     )
     INSERT INTO "RateLimit" AS r ("bucket", "windowStart", "count", "expiresAt")
     SELECT b, ws, 1, ws + make_interval(secs => w) FROM input
     ON CONFLICT ("bucket", "windowStart") DO UPDATE SET "count" = r."count" + 1
     RETURNING r."bucket", r."count", ceil(extract(epoch FROM r."expiresAt" - now()))::text AS retry`,
    [active.map((l) => l.bucket), active.map((l) => l.windowSeconds)],
  );
  sweep();
  for (const l of active) {
    const row = rows.find((r) => r.bucket === l.bucket);
    if (row && row.count > l.limit) return { ok: false, retryAfterSeconds: Math.max(1, Number(row.retry)), exceeded: l };
  }
  return { ok: true, retryAfterSeconds: 0 };
}

/** Take back one hit of each bucket's current window (a request that turned out not to count). */
export async function unhit(limits: Limit[]): Promise<void> {
  const active = dedupe(limits.filter((l) => l.limit > 0));
  if (!active.length) return;
  await pool().query(
    `UPDATE "RateLimit" r SET "count" = r."count" - 1
     FROM unnest($1::text[], $2::int[]) AS t(b, w)
     WHERE r."bucket" = t.b AND r."windowStart" = to_timestamp(floor(extract(epoch FROM now()) / t.w) * t.w) AND r."count" > 0`,
    [active.map((l) => l.bucket), active.map((l) => l.windowSeconds)],
  );
}

/** Forget the buckets' current counts (e.g. an account's failed sign-ins after a good one). */
export async function reset(buckets: string[]): Promise<void> {
  if (!buckets.length) return;
  await pool().query(`DELETE FROM "RateLimit" WHERE "bucket" = ANY($1::text[])`, [buckets]);
}

/** hit(), throwing 429 rate_limited (with Retry-After via errorResponse) when over. */
export async function enforce(limits: Limit[], what: string): Promise<void> {
  const v = await hit(limits);
  if (!v.ok) throw rateLimited(v, what);
}

export function rateLimited(v: Verdict, what: string): ApiError {
  const minutes = Math.ceil(v.retryAfterSeconds / 60);
  const when = v.retryAfterSeconds < 120 ? `${v.retryAfterSeconds} s` : `${minutes} minutes`;
  return new ApiError("rate_limited", `Too many ${what}; try again in ${when}.`, {
    retryAfterSeconds: v.retryAfterSeconds,
    limit: v.exceeded?.limit,
    windowSeconds: v.exceeded?.windowSeconds,
  });
}

function dedupe(limits: Limit[]): Limit[] {
  const seen = new Map<string, Limit>();
  for (const l of limits) if (!seen.has(l.bucket)) seen.set(l.bucket, l);
  return [...seen.values()];
}

/** Expired windows are deleted at most once a minute per process, off the request's path. */
function sweep() {
  const now = Date.now();
  if (now - lastSweep < 60_000) return;
  lastSweep = now;
  pool()
    .query(`DELETE FROM "RateLimit" WHERE "expiresAt" < now() - interval '1 minute'`)
    .catch((err) => log.warn("rate-limit sweep failed", { err: (err as Error).message }));
}
