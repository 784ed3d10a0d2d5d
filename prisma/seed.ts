// Seed: an admin login, the "Local sandbox" endpoint and a sample workflow + deployment, so a
// newcomer can run something at once. Idempotent: safe on every `npm run dev`.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { DATA_DIR } from "@/lib/db/embedded";
import { importWorkflow } from "@/lib/workflows/import-workflow";
import type { Prisma } from "@/lib/generated/prisma/client";
import { systemCtx } from "@/lib/context";

export const ADMIN_EMAIL = "admin@flowgate.local";
const SAMPLE = path.resolve(import.meta.dirname, "samples/txt2img-lora.api.json");

export async function seed(opts: { sandboxUrl?: string; quiet?: boolean } = {}) {
  const out = (s: string) => !opts.quiet && process.stdout.write(s + "\n");

  // Admin: password from FLOWGATE_ADMIN_PASSWORD, else generated once into .data/admin-password.
  const pwFile = path.join(DATA_DIR, "admin-password");
  let password = process.env.FLOWGATE_ADMIN_PASSWORD;
  const existing = await db().user.findUnique({ where: { email: ADMIN_EMAIL } });
  if (!existing) {
    if (!password) {
      password = randomBytes(12).toString("base64url");
      fs.mkdirSync(DATA_DIR, { recursive: true });
      fs.writeFileSync(pwFile, password + "\n", { mode: 0o600 });
    }
    await db().user.create({
      data: { id: newId("usr"), email: ADMIN_EMAIL, name: "Admin", role: "admin", passwordHash: await bcrypt.hash(password, 10) },
    });
    out(`\n  Admin login created: ${ADMIN_EMAIL} / ${password}\n  (also in ${process.env.FLOWGATE_ADMIN_PASSWORD ? "FLOWGATE_ADMIN_PASSWORD" : pwFile})\n`);
  } else if (process.env.FLOWGATE_ADMIN_PASSWORD && !(await bcrypt.compare(process.env.FLOWGATE_ADMIN_PASSWORD, existing.passwordHash))) {
    await db().user.update({ where: { id: existing.id }, data: { passwordHash: await bcrypt.hash(process.env.FLOWGATE_ADMIN_PASSWORD, 10) } });
  }

  let endpoint = await db().endpoint.findFirst({ where: { name: "Local sandbox" } });
  if (opts.sandboxUrl) {
    const config = { baseUrl: opts.sandboxUrl } as Prisma.InputJsonValue;
    endpoint = endpoint
      ? await db().endpoint.update({ where: { id: endpoint.id }, data: { config, objectInfo: undefined } })
      : await db().endpoint.create({ data: { id: newId("ep"), name: "Local sandbox", provider: "comfyui", config, gpu: "CPU (sandbox)", pricePerHourUsd: 0 } });
  }

  const sample = await db().workflow.findFirst({ where: { name: "Sample: text to image with LoRA" } });
  if (!sample) {
    const imported = await importWorkflow({ ctx: systemCtx(), input: {
      name: "Sample: text to image with LoRA",
      workflow: JSON.parse(fs.readFileSync(SAMPLE, "utf8")),
      filename: "txt2img-lora.api.json",
    } });
    if (endpoint && !(await db().deployment.findUnique({ where: { slug: "sample-txt2img" } }))) {
      await db().deployment.create({
        data: {
          id: newId("dep"),
          name: "Sample text to image",
          slug: "sample-txt2img",
          workflowId: imported.workflow.id,
          workflowVersionId: imported.version.id,
          timeoutSeconds: 300,
          maxAttempts: 3,
          slots: {
            create: [
              { id: newId("slot"), position: 0, name: "prompt", nodeId: "6", input: "text", type: "string", required: true, default: "masterpiece best quality girl", description: "What to draw" },
              { id: newId("slot"), position: 1, name: "negative_prompt", nodeId: "7", input: "text", type: "string", default: "bad hands" },
              { id: newId("slot"), position: 2, name: "seed", nodeId: "3", input: "seed", type: "seed", min: 0, max: Number.MAX_SAFE_INTEGER },
              { id: newId("slot"), position: 3, name: "steps", nodeId: "3", input: "steps", type: "integer", default: 20, min: 1, max: 100 },
            ],
          },
          targets: { create: [{ id: newId("tgt"), endpointId: endpoint.id, priority: 0 }] },
        },
      });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { loadLocalEnv } = await import("@/lib/env");
  const { migrate } = await import("@/lib/db/migrate");
  const pg = await loadLocalEnv();
  await migrate(process.env.DATABASE_URL!);
  await seed({ sandboxUrl: process.env.FLOWGATE_SANDBOX_URL });
  const { closeDb } = await import("@/lib/db");
  await closeDb();
  if (pg.owned) await pg.stop();
}
