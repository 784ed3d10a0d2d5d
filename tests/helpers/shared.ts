// The team's shared reference data (/work/shared, "../shared" next to the main checkout): the
// ComfyUI-Manager index files, which are GPL-3.0 and so never copied into this repository. Found
// through FLOWGATE_SHARED_DIR, else the nearest parent directory holding `shared/fixtures`.
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export function sharedDir(): string {
  const given = process.env.FLOWGATE_SHARED_DIR;
  if (given) return path.resolve(given);
  for (let dir = ROOT; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared");
    if (fs.existsSync(path.join(candidate, "fixtures", "comfyui-manager", "SOURCE.md"))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`The shared fixtures (../shared/fixtures/comfyui-manager) were not found above ${ROOT}; set FLOWGATE_SHARED_DIR`);
}

/** Directory of ComfyUI-Manager's index files (extension-node-map.json, …). */
export function managerIndexDir(): string {
  return path.join(sharedDir(), "fixtures", "comfyui-manager");
}

export function readManagerFile(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(managerIndexDir(), name), "utf8"));
}
