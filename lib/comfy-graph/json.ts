// Parsing untrusted workflow JSON: tolerant of Python's NaN/Infinity (ComfyUI's json.dumps writes
// them into PNG chunks), strict about size, depth and cycles so later passes can recurse safely.
import { WorkflowError } from "./errors";

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const MAX_DEPTH = 64;
/**
 * Most nodes one workflow may have (UI nodes, subgraph nodes included, or API entries, and the
 * converted prompt after subgraphs are expanded). Checked before any conversion or analysis, so the
 * cost of an upload is bounded by its parse. Real workflows have tens to a few hundred nodes.
 */
export const MAX_NODES = 5_000;

/** Replace bare NaN / Infinity / -Infinity tokens (outside strings) with null. */
function replacePythonFloats(text: string): string {
  let out = "";
  let i = 0;
  let last = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 78 /* N */ && text.startsWith("NaN", i)) {
      out += text.slice(last, i) + "null";
      i += 3;
      last = i;
      continue;
    }
    if (c === 45 /* - */ && text.startsWith("-Infinity", i)) {
      out += text.slice(last, i) + "null";
      i += 9;
      last = i;
      continue;
    }
    if (c === 73 /* I */ && text.startsWith("Infinity", i)) {
      out += text.slice(last, i) + "null";
      i += 8;
      last = i;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

export function parseJsonText(text: string, what = "Workflow"): unknown {
  const trimmed = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (trimmed.trim() === "") throw new WorkflowError("workflow_empty", `${what} is empty`);
  try {
    return JSON.parse(trimmed);
  } catch (first) {
    if (/NaN|Infinity/.test(trimmed)) {
      try {
        return JSON.parse(replacePythonFloats(trimmed));
      } catch {
        // fall through to the original error
      }
    }
    throw new WorkflowError("workflow_not_json", `${what} is not valid JSON: ${(first as Error).message}`);
  }
}

/** Throws workflow_too_deep / workflow_invalid (cycle) instead of letting recursion blow the stack later. */
export function assertTreeShaped(value: unknown, maxDepth = MAX_DEPTH): void {
  if (value === null || typeof value !== "object") return;
  const stack: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > maxDepth) throw new WorkflowError("workflow_too_deep", `Workflow JSON is nested more than ${maxDepth} levels deep`, { maxDepth });
    // A shared reference is fine in a tree only once; JSON never produces either.
    if (seen.has(v)) throw new WorkflowError("workflow_invalid", "Workflow contains a cycle or shared reference");
    seen.add(v);
    // Plain JSON data only: an in-process value whose prototype was replaced (say through an
    // assignment to "__proto__") would lose the methods the engine calls. JSON.parse never makes one.
    const proto = Object.getPrototypeOf(v);
    if (proto !== (Array.isArray(v) ? Array.prototype : Object.prototype) && proto !== null) {
      throw new WorkflowError("workflow_invalid", "Workflow contains a value that is not plain JSON data (an object or array with a replaced prototype)");
    }
    // Index loop, not for…of: an in-process array may have had its prototype (and iterator) replaced.
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push([v[i], depth + 1]);
    else for (const k of Object.keys(v)) stack.push([(v as Record<string, unknown>)[k], depth + 1]);
  }
}
