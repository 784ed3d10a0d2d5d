// `flowgate login [--url URL] [--key KEY]`: check the key against the server, then store both in the
// CLI config file (mode 0600). Without --key the key is read from stdin (so it stays out of shell
// history): `flowgate login --url https://flowgate.example.com < key.txt`, or typed at the prompt.
import { parseArgs } from "node:util";
import readline from "node:readline";
import { readConfig, writeConfig } from "./config";
import { CliError, guarded } from "./http";
import { localServerUrl } from "../lib/dev-state";

async function readKey(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("API key (fg_…): ");
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return "";
}

export async function main(argv: string[]): Promise<number> {
  return guarded(async () => {
    const { values } = parseArgs({ args: argv, options: { url: { type: "string" }, key: { type: "string" } }, strict: true });
    const saved = readConfig();
    const url = (values.url || process.env.FLOWGATE_URL || saved.url || localServerUrl()).replace(/\/+$/, "");
    const key = values.key || process.env.FLOWGATE_API_KEY || (await readKey());
    if (!/^fg_[0-9a-f]{12}_[A-Za-z0-9_-]{16,128}$/.test(key)) throw new CliError("flowgate login: that does not look like a Flowgate API key (fg_<prefix>_<secret>).", 2);
    let res: Response;
    try {
      res = await fetch(`${url}/api/v1/deployments?limit=1`, { headers: { authorization: `Bearer ${key}` } });
    } catch (err) {
      throw new CliError(`flowgate login: could not reach ${url} (${(err as Error).message}).`);
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new CliError(`flowgate login: ${url} refused the key: ${res.status} ${body?.error?.code ?? ""} ${body?.error?.message ?? ""}`.trim());
    }
    const file = writeConfig({ url, apiKey: key });
    process.stderr.write(`Logged in to ${url}; saved to ${file} (mode 0600). FLOWGATE_URL / FLOWGATE_API_KEY still override it.\n`);
    return 0;
  });
}
