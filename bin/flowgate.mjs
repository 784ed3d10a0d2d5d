#!/usr/bin/env node
// Launcher: runs cli/index.ts through tsx from the package root, passing arguments and exit code through.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
let tsx;
try {
  tsx = require.resolve("tsx");
} catch {
  process.stderr.write("flowgate: the tsx package is missing; run npm install in " + root + "\n");
  process.exit(1);
}
const child = spawn(process.execPath, ["--import", tsx, join(root, "cli", "index.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
