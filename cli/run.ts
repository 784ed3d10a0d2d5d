// `flowgate run SLUG --input k=v … [--image name=path] [--wait] [--out DIR] [--json]`: start a run on a
// Flowgate server (FLOWGATE_URL / FLOWGATE_API_KEY, else `flowgate login`'s file, else the local dev
// server). --image sends a local file as a data URI. --wait follows the run to its end, showing status
// and progress on stderr; --out DIR (implies --wait) downloads the outputs there. Exit code: 0 when
// the run succeeded (or was started, without --wait), 1 when it failed, timed out or was canceled.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { isTerminal } from "../lib/runs/status";
import { client, CliError, guarded } from "./http";

function coerce(v: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v === "true" || v === "false") return v === "true";
  return v;
}

const MIME: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif" };

function pair(flag: string, v: string): [string, string] {
  const i = v.indexOf("=");
  if (i < 1) throw new CliError(`flowgate run: --${flag} expects name=${flag === "image" ? "path" : "value"}, got ${JSON.stringify(v)}`, 2);
  return [v.slice(0, i), v.slice(i + 1)];
}

/** A file name safe to write in DIR (no folders, no dot-files). */
const safeName = (name: string, fallback: string) => path.basename(name).replace(/[^\w.-]+/g, "_").replace(/^\.+/, "") || fallback;

export async function main(argv: string[]): Promise<number> {
  return guarded(async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        input: { type: "string", multiple: true, short: "i" },
        image: { type: "string", multiple: true },
        wait: { type: "boolean", default: false },
        out: { type: "string", short: "o" },
        json: { type: "boolean", default: false },
        "poll-ms": { type: "string", default: "1000" },
      },
    });
    const slug = positionals[0];
    if (!slug) throw new CliError("usage: flowgate run SLUG --input name=value ... [--image name=path] [--wait] [--out DIR] [--json]", 2);
    const inputs: Record<string, unknown> = {};
    for (const v of values.input ?? []) {
      const [k, val] = pair("input", v);
      inputs[k] = coerce(val);
    }
    for (const v of values.image ?? []) {
      const [k, file] = pair("image", v);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        throw new CliError(`flowgate run: cannot read --image ${k}=${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 2);
      }
      inputs[k] = `data:${MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream"};base64,${bytes.toString("base64")}`;
    }
    const api = client("run");
    const wait = values.wait || !!values.out;
    let run = await api.json("POST", `/api/v1/deployments/${encodeURIComponent(slug)}/runs`, { inputs });
    if (!values.json) process.stderr.write(`run ${run.id}: ${run.status}\n`);
    if (wait) {
      const every = Math.max(50, Number(values["poll-ms"]) || 1000);
      let last = `${run.status}`;
      while (!isTerminal(run.status)) {
        await new Promise((r) => setTimeout(r, every));
        run = await api.json("GET", `/api/v1/runs/${run.id}`);
        const p = run.progress;
        const line = `${run.status}${p ? ` ${p.value}/${p.max}${p.nodeId ? ` (node ${p.nodeId})` : ""}` : ""}`;
        if (line !== last && !values.json) process.stderr.write(`  ${line}\n`);
        last = line;
      }
    }
    const saved: string[] = [];
    if (values.out && run.status === "succeeded") {
      fs.mkdirSync(values.out, { recursive: true });
      for (const [i, o] of (run.outputs ?? []).entries()) {
        const res = await api.raw("GET", o.url);
        if (!res.ok) throw new CliError(`flowgate run: downloading ${o.filename} answered ${res.status}`);
        const file = path.join(values.out, safeName(o.filename, `output-${i + 1}`));
        fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
        saved.push(file);
      }
    }
    if (values.json) process.stdout.write(JSON.stringify(run, null, 2) + "\n");
    else {
      process.stdout.write(`run ${run.id}: ${run.status}\n`);
      for (const o of run.outputs ?? []) process.stdout.write(`  ${o.filename} ${api.url}${o.url}\n`);
      for (const f of saved) process.stdout.write(`  saved ${f}\n`);
      if (run.error) process.stdout.write(`  error ${run.error.code}: ${run.error.message}${run.error.nodeId ? ` (node ${run.error.nodeId})` : ""}\n`);
    }
    return ["failed", "timed_out", "canceled"].includes(run.status) ? 1 : 0;
  });
}
