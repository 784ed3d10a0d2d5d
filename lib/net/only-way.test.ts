// lib/net is the only way Flowgate makes outbound requests. This keeps it that way: server code in
// lib/, app/ and worker/ may not call fetch / WebSocket / http(s).request or import the networking
// modules itself. Each exception is listed with its reason.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIRS = ["lib", "app", "worker"];
const SKIP_DIRS = new Set(["lib/net", "lib/generated", "node_modules"]);

const RAW: [RegExp, string][] = [
  [/(?<![\w.])fetch\s*\(/, "fetch("],
  [/\bglobalThis\.fetch\b/, "globalThis.fetch"],
  [/new\s+WebSocket\s*\(/, "new WebSocket("],
  [/\bhttps?\.(request|get)\s*\(/, "http(s).request/get("],
  [/\b(net|tls)\.(connect|createConnection)\s*\(/, "net/tls.connect("],
  [/from\s+["'](node:)?(http|https|tls|undici)["']/, "import of http/https/tls/undici"],
  [/import\s+(?!type\b)[^;]*from\s+["']ws["']/, "value import of ws"],
  [/require\(\s*["'](node:)?(http|https|net|tls|ws|undici)["']\s*\)/, "require of a networking module"],
];

/** file → the patterns it may use, and why. */
const ALLOWED: Record<string, { patterns: string[]; why: string }> = {
  // Picks a free port for the embedded PostgreSQL (a local listen, not an outbound request).
  "lib/db/embedded.ts": { patterns: [], why: "net.createServer for a free local port" },
  // Text of copy-paste snippets for the user's own code (a deployment page shows them); never called.
  "lib/deployments/snippets.ts": { patterns: ["fetch("], why: "snippet text, not a request" },
};

function* files(dir: string): Generator<string> {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(rel)) yield* files(rel);
    } else if (/\.(ts|tsx|mts|js|mjs)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !rel.includes("/test-support/")) {
      yield rel;
    }
  }
}

describe("outbound requests go through lib/net only", () => {
  it("no server file makes a raw request", () => {
    const offenders: string[] = [];
    for (const dir of DIRS) {
      for (const rel of files(dir)) {
        const text = fs.readFileSync(path.join(ROOT, rel), "utf8").replace(/^\s*(\/\/|\*).*$/gm, "");
        for (const [re, name] of RAW) {
          if (re.test(text) && !ALLOWED[rel]?.patterns.includes(name)) offenders.push(`${rel}: ${name}`);
        }
      }
    }
    expect(offenders, "use outboundFetch / outboundWebSocket / httpRequest from lib/net instead").toEqual([]);
  });

  it("the scan would catch one (the check itself works)", () => {
    const sample = `const r = await fetch(url);\nconst ws = new WebSocket(u);\nimport WebSocket from "ws";\nhttp.request(o)`;
    const hits = RAW.filter(([re]) => re.test(sample)).map(([, n]) => n);
    expect(hits).toEqual(expect.arrayContaining(["fetch(", "new WebSocket(", "value import of ws", "http(s).request/get("]));
  });
});
