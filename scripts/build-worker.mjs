// Bundles the worker (worker/index.ts and the lib/ code it uses) into dist/worker.mjs with esbuild.
// Packages stay external (resolved from node_modules at run time). Running the bundle with plain
// `node` instead of through tsx's loader saves its transpiler thread and caches: about 80 MB of RSS
// per worker process, which matters when one worker holds thousands of runs (bench:memory).
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WORKER_BUNDLE = path.join(ROOT, "dist", "worker.mjs");
/**
 * Node flags the worker runs with. --optimize-for-size makes V8 collect garbage before growing the
 * heap: the worker is I/O-bound, and with 1,000 runs in flight it held 167 MB instead of 314–441 MB
 * (bench:memory), the difference being short-lived polling garbage, not live data.
 */
export const WORKER_NODE_ARGS = ["--enable-source-maps", "--optimize-for-size"];

export async function buildWorker() {
  await build({
    entryPoints: [path.join(ROOT, "worker", "index.ts")],
    outfile: WORKER_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    tsconfig: path.join(ROOT, "tsconfig.json"),
    logLevel: "warning",
  });
  return WORKER_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWorker();
}
