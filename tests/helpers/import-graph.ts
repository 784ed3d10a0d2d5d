// The project's import graph, read with TypeScript's own pre-processor (static, type-only,
// re-export and dynamic `import()` imports alike), and its cycles. Only relative and `@/` imports
// are followed; packages are leaves. Used by tests/architecture/import-cycles.test.ts.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const EXTENSIONS = [".ts", ".tsx", "/index.ts", "/index.tsx"];

/** Every .ts/.tsx file under `dirs` (relative to `root`), skipping `skip` path prefixes. */
export function sourceFiles(root: string, dirs: string[], skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full);
      if (skip.some((s) => rel === s || rel.startsWith(s + path.sep))) continue;
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(full);
      } else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(rel);
    }
  };
  for (const d of dirs) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  return out.sort();
}

/** Resolve an import specifier from `from` to a project file (relative to root), or null. */
export function resolveImport(root: string, from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith("./") || spec.startsWith("../")) base = path.resolve(root, path.dirname(from), spec);
  else return null;
  // `./x.js` in ESM style names `./x.ts`
  const stem = base.replace(/\.(m?js|tsx?)$/, "");
  for (const cand of [base, ...EXTENSIONS.map((e) => stem + e)]) {
    if (fs.existsSync(cand) && fs.statSync(cand).isFile() && /\.tsx?$/.test(cand)) return path.relative(root, cand);
  }
  return null;
}

/** file → the project files it imports (within `files`). */
export function importGraph(root: string, files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const info = ts.preProcessFile(text, true, true);
    const deps = new Set<string>();
    for (const ref of info.importedFiles) {
      const target = resolveImport(root, file, ref.fileName);
      if (target && known.has(target) && target !== file) deps.add(target);
    }
    graph.set(file, [...deps].sort());
  }
  return graph;
}

/**
 * The import cycles: one per strongly connected component of more than one file (Tarjan), each
 * given as a concrete loop `a → b → … → a` through that component.
 */
export function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) components.push(comp);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return components.map((comp) => loopThrough(graph, new Set(comp)));
}

/** A shortest loop from the component's first file (sorted) back to itself, inside the component. */
function loopThrough(graph: Map<string, string[]>, comp: Set<string>): string[] {
  const start = [...comp].sort()[0]!;
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const loop = [start];
        for (let x: string | undefined = v; x && x !== start; x = prev.get(x)) loop.splice(1, 0, x);
        return [...loop, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...comp, start];
}
