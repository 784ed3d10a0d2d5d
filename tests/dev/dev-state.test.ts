// How local commands (flowgate run) find the server: FLOWGATE_URL, else PORT, else the URL the
// running `npm run dev` recorded in FLOWGATE_DATA_DIR/dev.json (ignored once that process is gone).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { localServerUrl, readDevState } from "../../lib/dev-state";

function dataDir(state?: object) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowgate-devstate-"));
  if (state) fs.writeFileSync(path.join(dir, "dev.json"), JSON.stringify(state));
  return dir;
}

describe("localServerUrl", () => {
  it("prefers FLOWGATE_URL, then PORT, then the recorded dev server, then :3000", () => {
    const dir = dataDir({ pid: process.pid, url: "http://localhost:3456", processes: {} });
    expect(localServerUrl({ FLOWGATE_URL: "http://flowgate.example/", PORT: "4000", FLOWGATE_DATA_DIR: dir })).toBe("http://flowgate.example");
    expect(localServerUrl({ PORT: "4000", FLOWGATE_DATA_DIR: dir })).toBe("http://localhost:4000");
    expect(localServerUrl({ FLOWGATE_DATA_DIR: dir })).toBe("http://localhost:3456");
    expect(localServerUrl({ FLOWGATE_DATA_DIR: dataDir() })).toBe("http://localhost:3000");
  });

  it("ignores a dev.json whose process is gone", () => {
    const dir = dataDir({ pid: 2 ** 22 + 12345, url: "http://localhost:3456", processes: {} });
    expect(readDevState(dir)).toBeUndefined();
    expect(localServerUrl({ FLOWGATE_DATA_DIR: dir })).toBe("http://localhost:3000");
  });
});
