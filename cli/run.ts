// `flowgate run SLUG --input k=v … [--wait]`: start a run on a running server (FLOWGATE_URL, else
// PORT, else the server `npm run dev` recorded; FLOWGATE_API_KEY) and print the Run; with --wait,
// follow it to the end and print output URLs.
import { parseArgs } from "node:util";
import { localServerUrl } from "../lib/dev-state";
import { isTerminal } from "../lib/runs/status";

function coerce(v: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v === "true" || v === "false") return v === "true";
  return v;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { input: { type: "string", multiple: true, short: "i" }, wait: { type: "boolean", default: false }, json: { type: "boolean", default: false } },
  });
  const slug = positionals[0];
  const base = localServerUrl();
  const key = process.env.FLOWGATE_API_KEY;
  if (!slug) {
    process.stderr.write("usage: flowgate run SLUG --input name=value ... [--wait] [--json]\n");
    return 2;
  }
  if (!key) {
    process.stderr.write("flowgate run: set FLOWGATE_API_KEY (create one with `flowgate apikey create --name cli`)\n");
    return 2;
  }
  const inputs: Record<string, unknown> = {};
  for (const pair of values.input ?? []) {
    const i = pair.indexOf("=");
    if (i < 1) {
      process.stderr.write(`flowgate run: --input expects name=value, got ${JSON.stringify(pair)}\n`);
      return 2;
    }
    inputs[pair.slice(0, i)] = coerce(pair.slice(i + 1));
  }
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1/deployments/${encodeURIComponent(slug)}/runs`, { method: "POST", headers, body: JSON.stringify({ inputs }) });
  } catch (err) {
    process.stderr.write(`flowgate run: could not reach ${base} (${(err as Error).message}). Is Flowgate running (npm run dev)? Set FLOWGATE_URL to its address.\n`);
    return 1;
  }
  let run = (await res.json()) as any;
  if (!res.ok) {
    process.stderr.write(`error ${res.status} ${run?.error?.code}: ${run?.error?.message}\n`);
    return 1;
  }
  if (values.wait) {
    let last = "";
    while (!isTerminal(run.status)) {
      await new Promise((r) => setTimeout(r, 1000));
      run = await (await fetch(`${base}/api/v1/runs/${run.id}`, { headers })).json();
      const line = `${run.status}${run.progress ? ` ${run.progress.value}/${run.progress.max}` : ""}`;
      if (line !== last && !values.json) process.stderr.write(`${line}\n`);
      last = line;
    }
  }
  if (values.json) process.stdout.write(JSON.stringify(run, null, 2) + "\n");
  else {
    process.stdout.write(`run ${run.id}: ${run.status}\n`);
    for (const o of run.outputs ?? []) process.stdout.write(`  ${o.filename} ${base}${o.url}\n`);
    if (run.error) process.stdout.write(`  error ${run.error.code}: ${run.error.message}\n`);
  }
  return run.status === "failed" || run.status === "timed_out" ? 1 : 0;
}
