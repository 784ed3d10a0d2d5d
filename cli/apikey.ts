// `flowgate apikey create --name N [--role R]`: prints a new key once; only its hash is stored.
// Uses DATABASE_URL, or the embedded database under .data/ (started for the call if not running).
import { parseArgs } from "node:util";
import { ROLES, isRole } from "@/lib/auth/roles";

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "create") {
    process.stderr.write("usage: flowgate apikey create --name NAME [--role admin|engineer|oncall|viewer]\n");
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { name: { type: "string" }, role: { type: "string", default: "engineer" } }, strict: true });
  if (!values.name) {
    process.stderr.write("flowgate apikey create: --name is required\n");
    return 2;
  }
  if (!isRole(values.role)) {
    process.stderr.write(`flowgate apikey create: --role must be one of ${ROLES.join(", ")}\n`);
    return 2;
  }
  const { loadLocalEnv } = await import("@/lib/env");
  const { migrate } = await import("@/lib/db/migrate");
  const { createApiKey } = await import("@/lib/auth/api-keys");
  const { closeDb } = await import("@/lib/db");
  const pg = await loadLocalEnv();
  try {
    await migrate(process.env.DATABASE_URL!);
    const key = await createApiKey({ name: values.name, role: values.role });
    process.stdout.write(`${key.key}\n`);
    process.stderr.write(`Created API key "${key.name}" (role ${key.role}: scopes ${key.scopes.join(", ")}; id ${key.id}). Store it now: it is not shown again.\n`);
    return 0;
  } finally {
    await closeDb();
    if (pg.owned) await pg.stop();
  }
}
