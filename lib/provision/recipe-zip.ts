// The recipe's files as one zip (fflate), under a top-level folder; the network-volume script executable.
import { zipSync, strToU8 } from "fflate";
import type { Recipe } from "./recipe";

export function zipRecipe(recipe: Recipe, folder: string): Uint8Array {
  const entries: Record<string, [Uint8Array, { os: number; attrs: number }]> = {};
  for (const [name, text] of Object.entries(recipe.files)) {
    const mode = name.endsWith(".sh") ? 0o100755 : 0o100644;
    entries[`${folder}/${name}`] = [strToU8(text), { os: 3, attrs: (mode << 16) >>> 0 }];
  }
  return zipSync(entries, { level: 6, mtime: new Date("2026-01-01T00:00:00Z") });
}
