// Copy-paste snippets for one deployment — curl, TypeScript (fetch), Python (requests), the CLI —
// with its real slot names and example values, and MCP client configurations (Claude Desktop,
// Cursor, Claude Code, any Streamable HTTP client) for this Flowgate. Pure (no server imports): the
// deployment page renders these, tests/… check them. The key is never put in a snippet: they read
// FLOWGATE_API_KEY from the environment, or say where to paste it.
import type { Slot } from "@/lib/comfy-graph/slots";

export interface SnippetDeployment {
  slug: string;
  name?: string;
  slots?: Slot[];
}

/** An example value per slot: its default, else a value its rules accept. */
export function exampleInputs(slots: Slot[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of slots) {
    if (s.type === "seed") out[s.name] = typeof s.default === "number" ? s.default : 42;
    else if (s.default !== undefined && s.default !== null && s.type !== "image") out[s.name] = s.default;
    else if (s.type === "image") out[s.name] = "https://example.com/input.png";
    else if (s.type === "enum") out[s.name] = s.enum?.[0] ?? "";
    else if (s.type === "boolean") out[s.name] = false;
    else if (s.type === "integer") out[s.name] = Math.ceil(s.min ?? 1);
    else if (s.type === "number") out[s.name] = s.min ?? 1;
    else out[s.name] = s.name === "prompt" || s.name.includes("prompt") ? "a lighthouse at dusk, volumetric light" : `example ${s.name}`;
  }
  return out;
}

/** A JSON value as a Python literal (True/False/None, escaped strings). */
export function pyLiteral(v: unknown, indent = 0): string {
  const pad = " ".repeat(indent);
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "None";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return v.length ? `[${v.map((x) => pyLiteral(x, indent)).join(", ")}]` : "[]";
  const entries = Object.entries(v as Record<string, unknown>);
  if (!entries.length) return "{}";
  return `{\n${entries.map(([k, x]) => `${pad}    ${JSON.stringify(k)}: ${pyLiteral(x, indent + 4)},`).join("\n")}\n${pad}}`;
}

/** A string in single quotes for a POSIX shell. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const TERMINAL = ["succeeded", "failed", "canceled", "timed_out"];

export function deploymentSnippets(d: SnippetDeployment, originIn: string) {
  const origin = originIn.replace(/\/+$/, "");
  const url = `${origin}/api/v1/deployments/${d.slug}/runs`;
  const inputs = exampleInputs(d.slots ?? []);
  const body = JSON.stringify({ inputs }, null, 2);

  const curl = `curl -X POST ${shellQuote(url)} \\
  -H "Authorization: Bearer $FLOWGATE_API_KEY" \\
  -H 'Content-Type: application/json' \\
  -H "Idempotency-Key: $(uuidgen)" \\
  -d ${shellQuote(body)}

# then follow the run until it ends (one "event: run" per change):
curl -N '${origin}/api/v1/runs/RUN_ID/events' -H "Authorization: Bearer $FLOWGATE_API_KEY"`;

  const ts = `const headers = { Authorization: \`Bearer \${process.env.FLOWGATE_API_KEY}\` };
const res = await fetch("${url}", {
  method: "POST",
  headers: { ...headers, "Content-Type": "application/json" },
  body: JSON.stringify(${body.replace(/\n/g, "\n  ")}),
});
if (!res.ok) throw new Error((await res.json()).error.message);
let run = await res.json();

// poll until the run reaches a terminal status
while (!${JSON.stringify(TERMINAL)}.includes(run.status)) {
  await new Promise((r) => setTimeout(r, 1000));
  run = await (await fetch(\`${origin}/api/v1/runs/\${run.id}\`, { headers })).json();
}
if (run.status !== "succeeded") throw new Error(\`\${run.status}: \${run.error?.message}\`);
for (const o of run.outputs) {
  const file = await fetch("${origin}" + o.url, { headers });
  console.log(o.filename, o.contentType, (await file.arrayBuffer()).byteLength, "bytes");
}`;

  const py = `import os, time, requests

headers = {"Authorization": f"Bearer {os.environ['FLOWGATE_API_KEY']}"}
res = requests.post(
    "${url}",
    headers=headers,
    json={"inputs": ${pyLiteral(inputs, 4)}},
    timeout=30,
)
res.raise_for_status()
run = res.json()

while run["status"] not in (${TERMINAL.map((s) => JSON.stringify(s)).join(", ")}):
    time.sleep(1)
    run = requests.get(f"${origin}/api/v1/runs/{run['id']}", headers=headers, timeout=30).json()

if run["status"] != "succeeded":
    raise SystemExit(f"{run['status']}: {run['error']}")
for output in run["outputs"]:
    data = requests.get("${origin}" + output["url"], headers=headers, timeout=60).content
    with open(output["filename"], "wb") as f:
        f.write(data)`;

  const cliArgs = Object.entries(inputs)
    .map(([k, v]) => ((d.slots ?? []).find((s) => s.name === k)?.type === "image" ? `--image ${k}=./input.png` : `--input ${shellQuote(`${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)}`))
    .join(" ");
  const cli = `export FLOWGATE_URL=${origin}
export FLOWGATE_API_KEY=fg_…   # or: npx flowgate login --url ${origin}
npx flowgate run ${d.slug}${cliArgs ? ` ${cliArgs}` : ""} --wait --out ./outputs`;

  return { url, body, inputs, curl, ts, py, cli };
}

/** MCP client configurations for this Flowgate: its Streamable HTTP endpoint and a bearer key. */
export function mcpSnippets(originIn: string, keyPlaceholder = "fg_YOUR_KEY") {
  const origin = originIn.replace(/\/+$/, "");
  const url = `${origin}/api/mcp`;
  const claudeDesktop = JSON.stringify(
    {
      mcpServers: {
        flowgate: {
          command: "npx",
          args: ["-y", "mcp-remote", url, "--header", "Authorization:${FLOWGATE_AUTH}"],
          env: { FLOWGATE_AUTH: `Bearer ${keyPlaceholder}` },
        },
      },
    },
    null,
    2,
  );
  const cursor = JSON.stringify({ mcpServers: { flowgate: { url, headers: { Authorization: `Bearer ${keyPlaceholder}` } } } }, null, 2);
  const claudeCode = `claude mcp add --transport http flowgate ${url} --header "Authorization: Bearer $FLOWGATE_API_KEY"`;
  const generic = `Transport: Streamable HTTP (stateless)
URL:       ${url}
Header:    Authorization: Bearer ${keyPlaceholder}

# list the tools with the MCP Inspector's CLI mode:
npx @modelcontextprotocol/inspector --cli ${url} --transport http \\
  --header "Authorization: Bearer $FLOWGATE_API_KEY" --method tools/list`;
  return { url, claudeDesktop, cursor, claudeCode, generic };
}
