import { defineConfig } from "prisma/config";

// The CLI reads the URL here (runtime uses the pg driver adapter in lib/db). `prisma generate`
// needs no database. Migrations are applied by scripts/migrate.ts; `prisma migrate deploy`
// also works wherever Prisma's schema engine can be installed.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/flowgate" },
});
