// `flowgate keys create|list|revoke` over the HTTP API (/api/v1/keys), with the logged-in key
// (an admin key manages every key). `flowgate apikey create` makes a key in the local database instead.
import { parseArgs } from "node:util";
import { client, CliError, guarded, table } from "./http";

const USAGE = `usage:
  flowgate keys create --name N [--scopes read,run,…] [--deployments slug,…] [--expires 30d|ISO] [--rate-limit N] [--json]
  flowgate keys list [--status active|expired|revoked] [--json]
  flowgate keys revoke ID
scopes: read, run, operate, deploy, audit, admin (default read)
`;

const list = (v: string | undefined) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined);

/** "30d", "12h", "90m" or an ISO time → ISO time. */
export function expiryOf(v: string, now = Date.now()): string {
  const m = /^(\d+)\s*([dhm])$/.exec(v.trim());
  if (m) return new Date(now + Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as "d" | "h" | "m"]).toISOString();
  const t = new Date(v);
  if (Number.isNaN(t.getTime())) throw new CliError(`flowgate keys create: --expires takes 30d, 12h, 90m or an ISO-8601 time, not ${JSON.stringify(v)}`, 2);
  return t.toISOString();
}

export async function main(argv: string[]): Promise<number> {
  return guarded(async () => {
    const [sub, ...rest] = argv;
    const api = () => client("keys");
    if (sub === "create") {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: "string" }, scopes: { type: "string" }, deployments: { type: "string" }, expires: { type: "string" }, "rate-limit": { type: "string" }, json: { type: "boolean", default: false } },
        strict: true,
      });
      if (!values.name) throw new CliError(`flowgate keys create: --name is required\n${USAGE}`, 2);
      const body: Record<string, unknown> = { name: values.name, scopes: list(values.scopes) ?? ["read"] };
      if (values.deployments) body.deployments = list(values.deployments);
      if (values.expires) body.expiresAt = expiryOf(values.expires);
      if (values["rate-limit"]) body.rateLimitPerMinute = Number(values["rate-limit"]);
      const k = await api().json("POST", "/api/v1/keys", body);
      if (values.json) process.stdout.write(JSON.stringify(k, null, 2) + "\n");
      else {
        process.stdout.write(`${k.key}\n`);
        process.stderr.write(`Created API key "${k.name}" (${k.id}; scopes ${k.scopes.join(", ")}${k.deployments.length ? `; only ${k.deployments.join(", ")}` : ""}${k.expiresAt ? `; expires ${k.expiresAt}` : ""}). Store it now: it is not shown again.\n`);
      }
      return 0;
    }
    if (sub === "list") {
      const { values } = parseArgs({ args: rest, options: { status: { type: "string" }, json: { type: "boolean", default: false } }, strict: true });
      const page = await api().json("GET", `/api/v1/keys?limit=500${values.status ? `&status=${encodeURIComponent(values.status)}` : ""}`);
      if (values.json) {
        process.stdout.write(JSON.stringify(page.items, null, 2) + "\n");
        return 0;
      }
      const rows = [["ID", "NAME", "SCOPES", "DEPLOYMENTS", "STATUS", "EXPIRES", "LAST USED"]];
      for (const k of page.items) {
        rows.push([k.id, k.name, k.scopes.join(","), k.deployments.join(",") || "all", k.status, k.expiresAt?.slice(0, 10) ?? "never", k.lastUsedAt ? `${k.lastUsedAt.replace("T", " ").slice(0, 16)}${k.lastUsedIp ? ` from ${k.lastUsedIp}` : ""}` : "never"]);
      }
      process.stdout.write(table(rows));
      return 0;
    }
    if (sub === "revoke") {
      const id = rest[0];
      if (!id) throw new CliError(`flowgate keys revoke: give the key's id (see \`flowgate keys list\`)\n${USAGE}`, 2);
      const k = await api().json("DELETE", `/api/v1/keys/${encodeURIComponent(id)}`);
      process.stderr.write(`Revoked API key "${k.name}" (${k.id}).\n`);
      return 0;
    }
    process.stderr.write(USAGE);
    return 2;
  });
}
