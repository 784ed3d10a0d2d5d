// Zero-configuration defaults for local use: with DATABASE_URL unset, the embedded PostgreSQL under
// .data/ is started (or reused if another process already runs it), and the two secrets are
// generated once into .data/. Production (NODE_ENV=production) must set all three explicitly.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { DATA_DIR, ensureDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";

function fileSecret(name: string): string {
  const file = path.join(DATA_DIR, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const value = randomBytes(32).toString("base64");
  fs.writeFileSync(file, value, { mode: 0o600 });
  return value;
}

export function loadLocalSecrets() {
  if (process.env.NODE_ENV === "production") {
    const missing = ["DATABASE_URL", "NEXTAUTH_SECRET", "FLOWGATE_SECRET_KEY"].filter((k) => !process.env[k]);
    if (missing.length) throw new Error(`Set ${missing.join(", ")} to run Flowgate in production (see README, Configuration).`);
    return;
  }
  process.env.NEXTAUTH_SECRET ??= fileSecret("nextauth-secret");
  process.env.FLOWGATE_SECRET_KEY ??= fileSecret("secret-key");
}

export async function loadLocalEnv(): Promise<EmbeddedDatabase> {
  loadLocalSecrets();
  return ensureDatabase();
}
