// Test helpers: fixture paths and loaders (tests only).
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
export const FIXTURES = path.join(ROOT, "tests", "fixtures", "workflows");

export function fixture(rel: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, rel));
}

export function fixtureJson<T = unknown>(rel: string): T {
  return JSON.parse(fixture(rel).toString("utf8")) as T;
}

export function listFixtures(dir: string, ext = ".json"): string[] {
  return fs.readdirSync(path.join(FIXTURES, dir)).filter((f) => f.endsWith(ext)).sort();
}
