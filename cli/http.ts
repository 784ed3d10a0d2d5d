// The CLI's HTTP client for a Flowgate server: bearer key, JSON in and out, API.md errors turned
// into one readable line (and exit code 1).
import { resolveTarget } from "./config";

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface Client {
  url: string;
  json<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  raw(method: string, path: string, init?: RequestInit): Promise<Response>;
}

export function client(cmd: string, opts: { requireKey?: boolean } = {}): Client {
  const { url, apiKey } = resolveTarget();
  if (!apiKey && opts.requireKey !== false) {
    throw new CliError(`flowgate ${cmd}: no API key. Run \`flowgate login\`, or set FLOWGATE_API_KEY (create one on the API keys page or with \`flowgate apikey create --name cli\`).`, 2);
  }
  const raw = async (method: string, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (apiKey) headers.set("authorization", `Bearer ${apiKey}`);
    try {
      return await fetch(`${url}${path}`, { ...init, method, headers });
    } catch (err) {
      throw new CliError(`flowgate ${cmd}: could not reach ${url} (${(err as Error).message}). Is Flowgate running? Set FLOWGATE_URL or run \`flowgate login --url URL\`.`);
    }
  };
  return {
    url,
    raw,
    async json(method, path, body) {
      const res = await raw(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } });
      const text = await res.text();
      let parsed: any = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      if (!res.ok) {
        const e = parsed?.error;
        const retry = res.headers.get("retry-after");
        throw new CliError(`flowgate ${cmd}: ${res.status} ${e?.code ?? res.statusText}: ${e?.message ?? text.slice(0, 200)}${retry ? ` (retry after ${retry} s)` : ""}`);
      }
      return parsed;
    },
  };
}

/** Print rows as aligned columns. */
export function table(rows: string[][]): string {
  if (!rows.length) return "";
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd()).join("\n") + "\n";
}

/** Run a command body: CliErrors become their message and exit code. */
export async function guarded(fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
