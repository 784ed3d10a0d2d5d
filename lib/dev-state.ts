// Where a running `npm run dev` is: it writes FLOWGATE_DATA_DIR/dev.json (its URL, its pid and its
// children's pids) on start and removes it on stop. The CLI reads it to find the local server.
import fs from "node:fs";
import path from "node:path";

export const DEV_STATE_FILE = "dev.json";

export interface DevState {
  pid: number;
  url: string;
  sandboxUrl?: string;
  processes: Record<string, number | undefined>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The running dev command's state, or undefined (none recorded, or its process is gone). */
export function readDevState(dataDir = process.env.FLOWGATE_DATA_DIR ?? ".data"): DevState | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(path.join(path.resolve(dataDir), DEV_STATE_FILE), "utf8")) as DevState;
    return typeof state.url === "string" && Number.isInteger(state.pid) && alive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Flowgate server a local command talks to: FLOWGATE_URL, else PORT on localhost, else the
 * server `npm run dev` recorded, else http://localhost:3000.
 */
export function localServerUrl(env: Record<string, string | undefined> = process.env): string {
  const url = env.FLOWGATE_URL || (env.PORT ? `http://localhost:${env.PORT}` : undefined) || readDevState(env.FLOWGATE_DATA_DIR)?.url;
  return (url ?? "http://localhost:3000").replace(/\/+$/, "");
}
