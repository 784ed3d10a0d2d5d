// Route handlers and pages are adapters: they call verbs in lib/<noun>/<verb>.ts and never touch
// the database themselves. This fails when any file under app/ imports the database layer —
// lib/db, the generated Prisma client (lib/generated), Prisma's packages or the pg driver —
// by alias, by relative path, by dynamic import() or require(), and lists every offender.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Every module specifier a source file imports or re-exports (static, dynamic, require). */
export function specifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g, // import x from "m", export { x } from "m"
    /\bimport\s*["']([^"']+)["']/g, // import "m"
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // import("m")
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g, // require("m")
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]);
  return out;
}

/** Why importing `spec` from the file at `rel` (repo-relative) reaches the database layer, or null. */
export function databaseImport(rel: string, spec: string): string | null {
  if (spec === "pg" || spec.startsWith("pg/") || /^pg-/.test(spec)) return "the pg driver";
  if (spec === "prisma" || spec.startsWith("@prisma/")) return "a Prisma package";
  let target: string | null = null;
  if (spec.startsWith("@/")) target = spec.slice(2);
  else if (spec.startsWith(".")) target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
  if (target === null) return null;
  if (target === "lib/db" || target.startsWith("lib/db/") || target.startsWith("lib/db.")) return "lib/db";
  if (target === "lib/generated" || target.startsWith("lib/generated/")) return "the generated Prisma client (lib/generated)";
  return null;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) yield* sourceFiles(rel);
    else if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(e.name)) yield rel;
  }
}

function offenders(dir: string): string[] {
  const found: string[] = [];
  for (const rel of sourceFiles(dir)) {
    for (const spec of specifiers(fs.readFileSync(path.join(ROOT, rel), "utf8"))) {
      const why = databaseImport(rel, spec);
      if (why) found.push(`${rel} imports "${spec}" (${why})`);
    }
  }
  return found;
}

describe("app/ calls verbs, never the database layer", () => {
  it("no file under app/ imports lib/db, lib/generated, Prisma or pg", () => {
    const found = offenders("app");
    expect(found, `Move these queries into a verb in lib/<noun>/<verb>.ts and call it with { ctx, input }:\n${found.join("\n")}`).toEqual([]);
  });

  it("the check sees every way of importing the database layer", () => {
    const src = [
      'import { db } from "@/lib/db";',
      'import type { Run } from "@/lib/generated/prisma/client";',
      'export { pool } from "../../../../lib/db/index";',
      'const { Pool } = require("pg");',
      'const m = await import("@prisma/adapter-pg");',
      'import "@/lib/db/embedded";',
      'import {\n  db,\n} from "@/lib/db";',
      '// import { db } from "@/lib/db"; — a comment, not an import',
      'import { getRun } from "@/lib/runs/get-run";',
      'import { dbOf } from "@/lib/context";',
      'import pgp from "pgp-is-not-pg";',
    ].join("\n");
    const hits = specifiers(src).map((s) => databaseImport("app/api/v1/runs/route.ts", s)).filter(Boolean);
    expect(hits.sort()).toEqual(["a Prisma package", "lib/db", "lib/db", "lib/db", "lib/db", "the generated Prisma client (lib/generated)", "the pg driver"]);
    expect(databaseImport("app/api/v1/x/route.ts", "../../../../lib/generated/prisma/client")).toMatch(/generated/);
    expect(databaseImport("app/api/v1/x/route.ts", "../../../../lib/dbx")).toBeNull();
  });
});

/** `create-run` → `createRun`. */
const camel = (file: string) => file.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe("verbs take one { ctx, input } argument", () => {
  it("every lib/<noun>/<verb>.ts with a <verb>.types.ts exports <verb>({ ctx, input }: VerbArgs<…>)", () => {
    const problems: string[] = [];
    let verbs = 0;
    for (const noun of fs.readdirSync(path.join(ROOT, "lib"), { withFileTypes: true })) {
      if (!noun.isDirectory()) continue;
      const dir = path.join(ROOT, "lib", noun.name);
      for (const f of fs.readdirSync(dir)) {
        const m = /^(.+)\.types\.ts$/.exec(f);
        if (!m) continue;
        const rel = `lib/${noun.name}/${m[1]}.ts`;
        if (!fs.existsSync(path.join(ROOT, rel))) {
          problems.push(`${rel}: missing (its ${f} has no verb beside it)`);
          continue;
        }
        const src = fs.readFileSync(path.join(ROOT, rel), "utf8");
        const name = camel(m[1]);
        const decl = new RegExp(`export\\s+(?:async\\s+)?function\\s+${name}\\s*\\(([^)]*)\\)`).exec(src);
        verbs++;
        if (!decl) problems.push(`${rel}: exports no function ${name}`);
        else if (!/^\s*\{\s*ctx\s*,\s*input\b[^}]*\}\s*:\s*VerbArgs<[^>]+>\s*$/.test(decl[1])) problems.push(`${rel}: ${name}(${decl[1].trim()}) — take ({ ctx, input }: VerbArgs<Input>)`);
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
    expect(verbs).toBeGreaterThan(20);
  });
});
