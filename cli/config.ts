// Where the CLI finds its server and key: FLOWGATE_URL / FLOWGATE_API_KEY, else the file `flowgate
// login` wrote ($FLOWGATE_CONFIG, else $XDG_CONFIG_HOME/flowgate/config.json, else
// ~/.config/flowgate/config.json; mode 0600, it holds a secret), else the local dev server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { localServerUrl } from "../lib/dev-state";

export interface CliConfig {
  url?: string;
  apiKey?: string;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOWGATE_CONFIG) return env.FLOWGATE_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(base, "flowgate", "config.json");
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  try {
    const parsed = JSON.parse(fs.readFileSync(configPath(env), "utf8")) as CliConfig;
    return { url: typeof parsed.url === "string" ? parsed.url : undefined, apiKey: typeof parsed.apiKey === "string" ? parsed.apiKey : undefined };
  } catch {
    return {};
  }
}

/** Write the config with mode 0600 (and its folder 0700); an existing file is tightened too. */
export function writeConfig(config: CliConfig, env: NodeJS.ProcessEnv = process.env): string {
  const file = configPath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}

/** The server and key to use: environment first, then the login file, then the local dev server. */
export function resolveTarget(env: NodeJS.ProcessEnv = process.env): { url: string; apiKey: string | undefined } {
  const file = readConfig(env);
  const url = (env.FLOWGATE_URL || file.url || localServerUrl(env)).replace(/\/+$/, "");
  return { url, apiKey: env.FLOWGATE_API_KEY || file.apiKey };
}
