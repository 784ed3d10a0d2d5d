// A look-alike of where ComfyUI-Manager's index lives (the raw files of its repository) and of the
// Comfy Registry's class lookup, serving the copies in a directory (tests: ../shared's
// fixtures/comfyui-manager — GPL-3.0 data, so it is read from there, never copied into this repo).
//   GET /<name>.json                      extension-node-map, custom-node-list, github-stats, model-list
//   GET /comfy-nodes/{class}/node         {"id","name","repository"} of the first pack listing the class, else 404
// `failing` (settable) answers every request with a 503, to exercise the cached-copy fallback.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { sendJson } from "./util";

const FILES = new Set(["extension-node-map.json", "custom-node-list.json", "github-stats.json", "model-list.json"]);

export interface IndexServer {
  url: string;
  requests: string[];
  setFailing(v: boolean): void;
  close(): Promise<void>;
}

export async function startIndexServer(opts: { dir: string; host?: string; port?: number }): Promise<IndexServer> {
  const host = opts.host ?? "127.0.0.1";
  let failing = false;
  const requests: string[] = [];
  let byClass: Map<string, string> | undefined;
  const registry = () => {
    if (byClass) return byClass;
    byClass = new Map();
    const map = JSON.parse(fs.readFileSync(path.join(opts.dir, "extension-node-map.json"), "utf8")) as Record<string, [string[], unknown]>;
    for (const [url, [classes]] of Object.entries(map)) for (const c of classes) if (!byClass.has(c)) byClass.set(c, url);
    return byClass;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(url.pathname);
    req.resume();
    if (failing) return sendJson(res, 503, { error: "index unavailable (sandbox)" });
    const name = url.pathname.replace(/^\/+/, "");
    if (req.method === "GET" && FILES.has(name)) {
      const file = path.join(opts.dir, name);
      if (!fs.existsSync(file)) return sendJson(res, 404, { error: "not found" });
      res.writeHead(200, { "content-type": "application/json" });
      return fs.createReadStream(file).pipe(res);
    }
    const m = /^\/comfy-nodes\/([^/]+)\/node$/.exec(url.pathname);
    if (req.method === "GET" && m) {
      const repo = registry().get(decodeURIComponent(m[1]!));
      if (!repo) return sendJson(res, 404, { message: "node not found" });
      return sendJson(res, 200, { id: repo.split("/").pop()!.toLowerCase(), name: repo.split("/").pop(), repository: repo });
    }
    return sendJson(res, 404, { error: "not found" });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, host, r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}/`,
    requests,
    setFailing: (v) => {
      failing = v;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
