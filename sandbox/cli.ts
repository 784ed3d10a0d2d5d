// `npm run sandbox -- --port 8188 [--provider comfyui|runpod|runcomfy] [--exec-ms 2000] [fault flags…]`
import { faultFlagNames, parseFaults } from "./faults";
import { startSandbox, type SandboxOptions } from "./index";

const USAGE = `usage: npm run sandbox -- [--port N] [--provider comfyui|runpod|runcomfy] [--object-info FILE]
  [--seed N] [--api-key KEY] [--build-ms N] [--build-fails] [--output-shape v5|s3|legacy] [--workers N] [--deployment-workflow FILE]
  fault knobs: ${faultFlagNames.map((f) => `--${f}`).join(" ")}
  (boolean knobs take no value; change them at run time with POST /__sandbox/faults)`;

function parseArgs(argv: string[]): SandboxOptions {
  const opts: SandboxOptions = {};
  const faults: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    }
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}"`);
    let [key, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const next = () => {
      if (value !== undefined) return value;
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${key} needs a value`);
      return v;
    };
    switch (key) {
      case "port": opts.port = Number(next()); break;
      case "host": opts.host = next(); break;
      case "provider": opts.provider = next() as SandboxOptions["provider"]; break;
      case "object-info": opts.objectInfo = next(); break;
      case "seed": opts.seed = Number(next()); break;
      case "api-key": opts.apiKey = next(); break;
      case "build-ms": opts.buildMs = Number(next()); break;
      case "build-fails": opts.buildFails = true; break;
      case "output-shape": opts.outputShape = next() as "v5" | "s3" | "legacy"; break;
      case "workers": opts.workers = Number(next()); break;
      case "deployment-workflow": opts.deploymentWorkflow = next(); break;
      default: {
        if (!faultFlagNames.includes(key)) throw new Error(`unknown flag --${key}\n${USAGE}`);
        const boolean = ["stuck", "ws-stall", "ws-drop", "partial-errors", "strict-models"].includes(key);
        if (boolean) faults[key] = value ?? (argv[i + 1] === "true" || argv[i + 1] === "false" ? argv[++i] : true);
        else faults[key] = next();
      }
    }
  }
  Object.assign(opts, parseFaults(faults));
  if (opts.provider && !["comfyui", "runpod", "runcomfy"].includes(opts.provider)) throw new Error(`--provider must be comfyui, runpod or runcomfy`);
  return opts;
}

async function main() {
  let opts: SandboxOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const sb = await startSandbox({ ...opts, port: opts.port ?? 8188, log: (l) => console.log(l) });
  console.log(`Flowgate sandbox (${sb.provider}) listening on ${sb.url}`);
  const stop = async () => {
    await sb.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
