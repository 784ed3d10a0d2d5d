// The last line behind the input layer (lib/api/input.ts): errors from PostgreSQL, Prisma or the pg
// driver that mean "the database is down" (→ 503 database_unavailable with Retry-After) or "the
// database refused this value" (SQLSTATE class 22, data exception → 400 invalid_value). Anything
// else stays an internal error.
import { NextResponse } from "next/server";
import { classifyDatabaseError } from "@/lib/db/classify-error";
import { log } from "@/lib/log";

export { classifyDatabaseError };
export const DB_RETRY_AFTER_SECONDS = 5;

/** The API response for a database failure, or null when the error is not one. */
export function databaseErrorResponse(err: unknown, req?: Request): Response | null {
  const c = classifyDatabaseError(err);
  if (!c) return null;
  if (c.kind === "down") {
    log.warn("database unavailable during an API request", { url: req?.url, why: c.why });
    return NextResponse.json(
      {
        error: {
          code: "database_unavailable",
          message: `The database is not reachable right now; nothing was changed. Try again in ${DB_RETRY_AFTER_SECONDS} seconds.`,
          details: { retryAfterSeconds: DB_RETRY_AFTER_SECONDS },
        },
      },
      { status: 503, headers: { "Retry-After": String(DB_RETRY_AFTER_SECONDS) } },
    );
  }
  log.warn("database refused a value from an API request", { url: req?.url, sqlState: c.sqlState, why: c.why });
  return NextResponse.json(
    {
      error: {
        code: "invalid_value",
        message: "A value in the request cannot be stored: it is out of range or not valid text for the database.",
        details: c.sqlState ? { sqlState: c.sqlState } : {},
      },
    },
    { status: 400 },
  );
}
