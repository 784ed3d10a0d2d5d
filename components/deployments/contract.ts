// The caller's view of a deployment: JSON Schema of inputs, an example body, and snippets.
import type { Deployment, Slot } from "../api";
import { slotsJsonSchema } from "@/lib/workflow/slots";

/** The deployment's input schema: the server's (same code the API validates with), or built locally. */
export function slotSchema(slots: Slot[]): Record<string, unknown> {
  return slotsJsonSchema(slots);
}

export function exampleInputs(slots: Slot[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of slots) {
    if (s.type === "seed") out[s.name] = 42;
    else if (s.type === "image") out[s.name] = "https://example.com/input.png";
    else if (s.default !== undefined) out[s.name] = s.default;
    else if (s.type === "enum") out[s.name] = s.enum?.[0] ?? "";
    else if (s.type === "boolean") out[s.name] = false;
    else if (s.type === "integer" || s.type === "number") out[s.name] = s.min ?? 0;
    else out[s.name] = "";
  }
  return out;
}

export function snippets(d: Deployment, origin: string) {
  const url = `${origin}/api/v1/deployments/${d.slug}/runs`;
  const body = JSON.stringify({ inputs: exampleInputs(d.slots ?? []) }, null, 2);
  const bodyShell = body.replace(/'/g, "'\\''");
  const curl = `curl -X POST '${url}' \\
  -H "Authorization: Bearer $FLOWGATE_API_KEY" \\
  -H 'Content-Type: application/json' \\
  -H "Idempotency-Key: $(uuidgen)" \\
  -d '${bodyShell}'

# then follow the run until it ends (one "event: run" per change):
curl -N '${origin}/api/v1/runs/RUN_ID/events' -H "Authorization: Bearer $FLOWGATE_API_KEY"`;

  const ts = `const res = await fetch("${url}", {
  method: "POST",
  headers: {
    Authorization: \`Bearer \${process.env.FLOWGATE_API_KEY}\`,
    "Content-Type": "application/json",
  },
  body: JSON.stringify(${body.replace(/\n/g, "\n  ")}),
});
if (!res.ok) throw new Error((await res.json()).error.message);
let run = await res.json();

// poll until the run reaches a terminal status
while (!["succeeded", "failed", "canceled", "timed_out"].includes(run.status)) {
  await new Promise((r) => setTimeout(r, 1000));
  run = await (await fetch(\`${origin}/api/v1/runs/\${run.id}\`, {
    headers: { Authorization: \`Bearer \${process.env.FLOWGATE_API_KEY}\` },
  })).json();
}
console.log(run.status, run.outputs.map((o) => "${origin}" + o.url));`;

  const py = `import os, time, requests

headers = {"Authorization": f"Bearer {os.environ['FLOWGATE_API_KEY']}"}
res = requests.post(
    "${url}",
    headers=headers,
    json=${body.replace(/\n/g, "\n    ").replace(/\btrue\b/g, "True").replace(/\bfalse\b/g, "False").replace(/\bnull\b/g, "None")},
    timeout=30,
)
res.raise_for_status()
run = res.json()

while run["status"] not in ("succeeded", "failed", "canceled", "timed_out"):
    time.sleep(1)
    run = requests.get(f"${origin}/api/v1/runs/{run['id']}", headers=headers, timeout=30).json()

for output in run["outputs"]:
    print("${origin}" + output["url"])`;

  return { url, body, curl, ts, py };
}
