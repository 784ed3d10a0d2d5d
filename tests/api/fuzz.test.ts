// Property-based fuzzing of every write route (issue #14): generated malformed requests — wrong types,
// NUL and lone surrogates, numbers past every range, deep nesting, unknown fields, wrong content
// types, empty and truncated bodies, malformed path parameters — must never answer 500, must always
// answer errors in API.md's shape, and a refused request must leave no row behind.
//
// The routes are read from the filesystem (every app/api/v1/**/route.ts exporting POST, PATCH, PUT or
// DELETE), so a new write route is fuzzed without touching this file; give it a valid base body in
// BASE_BODIES to fuzz past its schema. CI replays one fixed seed (tests/setup/env.ts); run more
// cases locally with FC_NUM_RUNS=5000 npx vitest run tests/api/fuzz.test.ts (FC_SEED=… to replay).
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, pool } from "@/lib/db";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { createRun } from "@/lib/runs/create-run";
import { deployment, loraVersion, loraWorkflow, sandboxEndpoint } from "../helpers/world";
import { systemCtx } from "@/lib/context";

const V1 = path.resolve(import.meta.dirname, "../../app/api/v1");
const WRITE = ["POST", "PATCH", "PUT", "DELETE"] as const;
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 250);

interface Route {
  pattern: string; // e.g. /api/v1/workflows/[id]/versions/[number]/preflight
  method: (typeof WRITE)[number];
}

function writeRoutes(): Route[] {
  const out: Route[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const src = fs.readFileSync(p, "utf8");
        const pattern = "/api/v1/" + path.relative(V1, path.dirname(p)).split(path.sep).join("/");
        for (const m of WRITE) if (new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b|export\\s*\\{[^}]*\\bas\\s+${m}\\b`).test(src)) out.push({ pattern, method: m });
      }
    }
  };
  walk(V1);
  return out.sort((a, b) => `${a.pattern} ${a.method}`.localeCompare(`${b.pattern} ${b.method}`));
}

const ROUTES = writeRoutes();
let sandbox: SandboxHandle;
let key: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  sandbox = await startSandbox({ execMs: 50 });
  key = (await createApiKey({ name: "fuzz", role: "admin" })).key;
  const ep = await sandboxEndpoint(sandbox.url);
  const v = await loraVersion();
  const d = await deployment(v.id, [ep.id]);
  const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "fuzz" } } } });
  ids.endpoints = ep.id;
  ids.workflows = v.workflowId;
  ids.versions = String(v.number);
  ids.versionId = v.id;
  ids.deployments = d.slug;
  ids.runs = runId;
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await closeDb();
});

/** A real value for a path parameter: the id of the resource named by the segment before it. */
function realPath(pattern: string): string {
  const segs = pattern.split("/");
  return segs.map((s, i) => (/^\[.+\]$/.test(s) ? encodeURIComponent(ids[segs[i - 1]!] ?? `x_${segs[i - 1]}`) : s)).join("/");
}

/** Valid bodies to mutate, per route; a route missing here is fuzzed from {}. */
function baseBody(r: Route): unknown {
  const key = `${r.method} ${r.pattern}`;
  const bodies: Record<string, unknown> = {
    "POST /api/v1/workflows": { name: "fuzzed", workflow: loraWorkflow },
    "POST /api/v1/endpoints": { name: "fuzzed", provider: "comfyui", config: { baseUrl: sandbox.url }, pricePerHourUsd: 1 },
    "PATCH /api/v1/endpoints/[id]": { name: "renamed", pricePerHourUsd: 2 },
    "POST /api/v1/deployments": {
      name: "fuzzed",
      workflowVersionId: ids.versionId,
      targets: [{ endpointId: ids.endpoints, priority: 0 }],
      slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string", default: "x" }, { name: "steps", nodeId: "3", input: "steps", type: "integer", min: 1, max: 50 }],
      timeoutSeconds: 60,
    },
    "PATCH /api/v1/deployments/[slug]": { timeoutSeconds: 120, slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }] },
    "POST /api/v1/deployments/[slug]/runs": { inputs: { prompt: "a fox" } },
    "POST /api/v1/workflows/[id]/versions/[number]/preflight": { endpointId: ids.endpoints },
  };
  return structuredClone(bodies[key] ?? {});
}

// Values no API should store or choke on. RAW(...) tokens are spliced into the JSON text unquoted.
const RAW = (t: string) => `\u0001RAW:${t}\u0001`;
const deep = (n: number, open = "[", close = "]") => RAW(open.repeat(n) + "0" + close.repeat(n));
const nasty = fc.oneof(
  fc.constantFrom<unknown>(
    "a\u0000b",
    "\ud800",
    "x\udfffy",
    "\u0000",
    "",
    " ",
    "__proto__",
    "constructor",
    "x".repeat(5000),
    -1,
    0,
    1.5,
    -0,
    2 ** 31,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e308,
    RAW("1e400"),
    RAW("-1e400"),
    RAW("18446744073709551616"),
    RAW("99999999999999999999999999"),
    RAW("1e-400"),
    true,
    false,
    null,
    [],
    {},
    [null],
    { __proto__: { polluted: true } },
    { constructor: { prototype: { polluted: true } } },
    deep(100),
    deep(70, '{"a":', "}"),
    "http://127.0.0.1:1/",
    "javascript:alert(1)",
    "../../etc/passwd",
    "fg_000000000000_xxxxxxxxxxxxxxxx",
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.integer(),
);

type Edit = { path: number[]; op: "replace" | "delete" | "add"; value: unknown; key: string };
const edit = fc.record<Edit>({
  path: fc.array(fc.nat(20), { maxLength: 4 }),
  op: fc.constantFrom("replace", "delete", "add"),
  value: nasty,
  key: fc.oneof(fc.constantFrom("unknownField", "__proto__", "constructor", "a\u0000", "\ud800", "", "inputs", "slots", "name", "config", "targets", "workflow", "default"), fc.string({ maxLength: 8 })),
});

function applyEdit(root: unknown, e: Edit): unknown {
  if (e.path.length === 0 && e.op === "replace") return e.value;
  let parent: unknown = root;
  for (let i = 0; i < e.path.length; i++) {
    if (parent === null || typeof parent !== "object") break;
    const keys = Object.keys(parent);
    if (keys.length === 0) break;
    const k = keys[e.path[i]! % keys.length]!;
    const child = (parent as Record<string, unknown>)[k];
    if (i === e.path.length - 1 || child === null || typeof child !== "object") {
      if (e.op === "delete") delete (parent as Record<string, unknown>)[k];
      else if (e.op === "replace") (parent as Record<string, unknown>)[k] = e.value;
      else Object.defineProperty(parent, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
      return root;
    }
    parent = child;
  }
  if (parent !== null && typeof parent === "object" && e.op !== "delete") {
    Object.defineProperty(parent, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

function toText(v: unknown): string {
  const t = JSON.stringify(v) ?? "null";
  return t.replace(/"\\u0001RAW:((?:[^"\\]|\\.)*)\\u0001"/g, (_, raw: string) => JSON.parse(`"${raw}"`));
}

type Body = { kind: string; text?: string; raw?: BodyInit; type?: string | null };
const body = (r: Route) =>
  fc.oneof(
    fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits): Body => ({ kind: "mutated", text: toText(edits.reduce(applyEdit, baseBody(r))) })),
    nasty.map((v): Body => ({ kind: "value", text: toText(v) })),
    fc.nat().map((n): Body => {
      const t = toText(baseBody(r));
      return { kind: "truncated", text: t.slice(0, n % Math.max(1, t.length)) };
    }),
    fc.constantFrom<Body>(
      { kind: "empty", text: "" },
      { kind: "whitespace", text: "  \n " },
      { kind: "not json", text: "hello" },
      { kind: "bom", text: "\ufeff{}" },
      { kind: "deep", text: "[".repeat(20000) + "]".repeat(20000) },
      { kind: "deep object", text: '{"a":'.repeat(5000) + "1" + "}".repeat(5000) },
      { kind: "nul raw", text: '{"name":"a\u0000"}' },
      { kind: "bad escape", text: '{"name":"\\ud800\\u0000"}' },
      { kind: "invalid utf8", raw: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), type: "application/json" },
      { kind: "text/plain", text: "{}", type: "text/plain" },
      { kind: "form", text: "name=x&provider=comfyui", type: "application/x-www-form-urlencoded" },
      { kind: "multipart garbage", text: "--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", type: "multipart/form-data; boundary=xyz" },
      { kind: "multipart no boundary", text: "abc", type: "multipart/form-data" },
      { kind: "no type", text: "{}", type: null },
      { kind: "weird type", text: "{}", type: "application/json; charset=latin1" },
    ),
  );

const badParam = fc.constantFrom("%00", "x%00y", "99999999999999999999", "9223372036854775808", "-1", "0", "1.5", "1e3", "%20", "x.y", "x".repeat(300), "__proto__", "%F0%9F%A6%8A", "run_" + "0".repeat(24));

async function rowCounts(): Promise<Record<string, number>> {
  const tables = ["Workflow", "WorkflowVersion", "Endpoint", "Deployment", "DeploymentSlot", "DeploymentTarget", "Run", "RunAttempt", "WebhookDelivery"];
  const r = await pool().query(`SELECT ${tables.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(", ")}`);
  return r.rows[0];
}

describe("fuzzing every write route", () => {
  it("finds the write routes on disk", () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(12);
    expect(ROUTES).toContainEqual({ pattern: "/api/v1/deployments/[slug]/runs", method: "POST" });
    expect(ROUTES).toContainEqual({ pattern: "/api/v1/workflows", method: "POST" });
  });

  it("no 500, always the error shape, nothing half-created", async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(ROUTES.length - 1).chain((i) => fc.record({ route: fc.constant(ROUTES[i]!), body: body(ROUTES[i]!), param: fc.option(badParam, { freq: 4 }), paramAt: fc.nat() })),
        async ({ route, body: b, param, paramAt }) => {
          let url = realPath(route.pattern);
          if (param !== null) {
            const segs = route.pattern.split("/");
            const dyn = segs.flatMap((s, i) => (/^\[.+\]$/.test(s) ? [i] : []));
            if (dyn.length) {
              const parts = url.split("/");
              parts[dyn[paramAt % dyn.length]!] = param;
              url = parts.join("/");
            }
          }
          const headers: Record<string, string> = {};
          const type = b.type === undefined ? "application/json" : b.type;
          if (type) headers["content-type"] = type;
          const before = await rowCounts();
          const res = await call(route.method, url, { key, rawBody: b.raw ?? b.text, headers });
          const text = await res.text();
          const label = `${route.method} ${url} [${b.kind}] ${JSON.stringify((b.text ?? "").slice(0, 300))} → ${res.status} ${text.slice(0, 300)}`;
          seen.set(`${route.method} ${route.pattern}`, (seen.get(`${route.method} ${route.pattern}`) ?? 0) + 1);
          expect(res.status, label).toBeLessThan(500);
          if (res.status >= 400) {
            const parsed = JSON.parse(text);
            expect(Object.keys(parsed), label).toEqual(["error"]);
            expect(typeof parsed.error.code, label).toBe("string");
            expect(parsed.error.code, label).toMatch(/^[a-z_]+$/);
            expect(typeof parsed.error.message, label).toBe("string");
            expect(text, label).not.toMatch(/\n\s+at |node_modules|prisma\./i); // no stack trace, no internals
            expect(await rowCounts(), label).toEqual(before);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
    // Every route was exercised at least once (the route is drawn first, uniformly).
    if (NUM_RUNS >= ROUTES.length * 10) expect([...seen.keys()].sort()).toEqual([...new Set(ROUTES.map((r) => `${r.method} ${r.pattern}`))].sort());
  }, 600_000);
});
