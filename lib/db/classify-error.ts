// What kind of database failure an error is — "down" (unreachable, restarting, connection lost:
// retry later) or "data" (a value the database refused) — looking through Prisma's, the driver
// adapter's and the pg driver's wrappers. Used by the API's last line (lib/api/db-errors.ts), the
// MCP results and the run engine (an accepted submit is recorded through a short outage).

// Node socket errors seen when the server is unreachable or goes away mid-query.
const NET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "ECONNABORTED"]);
// Prisma's "cannot reach / closed / timed out" codes (P1xxx connection family, P2024 pool timeout).
const PRISMA_DOWN = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// Driver-adapter error kinds (Prisma 7 with @prisma/adapter-pg).
const ADAPTER_DOWN = new Set(["DatabaseNotReachable", "DatabaseDoesNotExist", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// Driver-adapter kinds that are data exceptions (class 22) without the SQLSTATE attached.
const ADAPTER_DATA = new Set(["ValueOutOfRange", "InvalidInputValue", "LengthMismatch", "InvalidIsolationLevel"]);

const MESSAGE_DOWN =
  /(Connection terminated|connection (is )?closed|Can't reach database server|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Client has encountered a connection error)/i;

type Classified = { kind: "down"; why: string } | { kind: "data"; sqlState?: string; why: string } | null;

function sqlStateClass(code: unknown): "down" | "data" | null {
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300") return "down";
  if (code.startsWith("22")) return "data";
  return null;
}

/** What kind of database failure an error is, looking through Prisma's and the adapter's wrappers. */
export function classifyDatabaseError(err: unknown): Classified {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e) || seen.size > 20) continue;
    seen.add(e);
    const o = e as Record<string, unknown>;
    const code = o.code;
    const message = typeof o.message === "string" ? o.message : "";
    if (typeof code === "string") {
      if (NET_CODES.has(code) || PRISMA_DOWN.has(code)) return { kind: "down", why: code };
      const c = sqlStateClass(code);
      if (c === "down") return { kind: "down", why: code };
      if (c === "data") return { kind: "data", sqlState: code, why: message };
    }
    const c = sqlStateClass(o.originalCode);
    if (c === "down") return { kind: "down", why: String(o.originalCode) };
    if (c === "data") return { kind: "data", sqlState: String(o.originalCode), why: typeof o.originalMessage === "string" ? o.originalMessage : message };
    if (typeof o.kind === "string") {
      if (ADAPTER_DOWN.has(o.kind)) return { kind: "down", why: o.kind };
      if (ADAPTER_DATA.has(o.kind)) return { kind: "data", why: typeof o.originalMessage === "string" ? o.originalMessage : message || o.kind };
    }
    // Prisma's own validation of a value it cannot send (an integer past 64 bits in a query).
    if (o.name === "PrismaClientValidationError" && /Unable to fit value|out of range/i.test(message)) {
      return { kind: "data", why: "a value is outside the range the database column can hold" };
    }
    if (o.name === "PrismaClientInitializationError" || MESSAGE_DOWN.test(message)) return { kind: "down", why: message.slice(0, 200) };
    if (Array.isArray(o.errors)) queue.push(...o.errors); // AggregateError (IPv4 + IPv6 connect attempts)
    queue.push(o.cause);
    if (o.meta && typeof o.meta === "object") queue.push((o.meta as Record<string, unknown>).driverAdapterError);
  }
  return null;
}
