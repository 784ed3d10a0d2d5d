// `flowgate <command>` — dispatches to the command modules; each returns an exit code.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { analyzeCommand, convertCommand, validateCommand } from "./workflow-commands";
import { recipeCommand } from "./provision-commands";

const USAGE = `usage: flowgate <command> [options]

commands:
  analyze FILE [--object-info F] [--json]    describe a workflow (UI/API JSON, PNG, WebP)
  convert FILE [--object-info F]             print the API-format prompt
  validate FILE --object-info F [--lenient]  check it against a server's /object_info (exit 1 on errors)
  recipe FILE [--node-index DIR|URL] [--out DIR]  worker image recipe (Dockerfile) for RunPod worker-comfyui
  apikey create --name N [--role R]          create an API key (local database)

on a Flowgate server (FLOWGATE_URL / FLOWGATE_API_KEY, else the file \`login\` writes):
  login [--url URL] [--key KEY]              check a key and store URL and key (~/.config/flowgate, mode 0600)
  deployments [--json]                       list deployments and their slots
  run SLUG --input k=v ... [--image k=path] [--wait] [--out DIR] [--json]
                                             run a deployment; --out downloads the outputs; exit 1 on failure
  runs [--status S] [--deployment SLUG]      recent runs
  keys create|list|revoke                    manage API keys (flowgate keys for options)
`;

type Main = (argv: string[]) => Promise<number>;

async function delegate(file: "apikey" | "run" | "login" | "deployments" | "runs" | "keys", argv: string[]): Promise<number> {
  const path = fileURLToPath(new URL(`./${file}.ts`, import.meta.url));
  if (!existsSync(path)) {
    process.stderr.write(`flowgate ${file}: this command is not available in this build (cli/${file}.ts is missing)\n`);
    return 2;
  }
  const mod = (await import(`./${file}.ts`)) as { main?: Main };
  if (typeof mod.main !== "function") {
    process.stderr.write(`flowgate ${file}: cli/${file}.ts does not export main(argv)\n`);
    return 2;
  }
  return mod.main(argv);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "analyze":
      return analyzeCommand(rest);
    case "convert":
      return convertCommand(rest);
    case "validate":
      return validateCommand(rest);
    case "recipe":
      return recipeCommand(rest);
    case "apikey":
    case "run":
    case "login":
    case "deployments":
    case "runs":
    case "keys":
      return delegate(cmd, rest);
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(cmd ? `unknown command: ${cmd}\n\n${USAGE}` : USAGE);
      return 2;
  }
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === (await import("node:path")).resolve(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`flowgate: ${String((err as Error)?.stack ?? err)}\n`);
      process.exitCode = 1;
    },
  );
}
