// Content hashes of workflows: sha256 over canonical JSON (sorted keys, no whitespace), so the
// same graph uploaded with different key order or formatting maps to the same version.
import { createHash } from "node:crypto";
import { WorkflowError } from "./errors";

const MAX_DEPTH = 1000;

export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  // Iterative to survive deep inputs; `seen` guards against cycles in in-memory values.
  type Frame = { kind: "value"; v: unknown; depth: number } | { kind: "raw"; s: string };
  const stack: Frame[] = [{ kind: "value", v: value, depth: 0 }];
  const active = new Set<object>();
  const exits: { obj: object; at: number }[] = [];
  while (stack.length) {
    const f = stack.pop()!;
    if (f.kind === "raw") {
      if (f.s === "\u0000exit") {
        const e = exits.pop();
        if (e) active.delete(e.obj);
        continue;
      }
      parts.push(f.s);
      continue;
    }
    const v = f.v;
    if (f.depth > MAX_DEPTH) throw new WorkflowError("workflow_too_deep", "Value is nested too deeply to hash");
    if (v === null || v === undefined || typeof v === "function" || typeof v === "symbol") {
      parts.push("null");
    } else if (typeof v === "number") {
      parts.push(Number.isFinite(v) ? JSON.stringify(v) : "null");
    } else if (typeof v === "bigint") {
      parts.push(v.toString());
    } else if (typeof v === "string" || typeof v === "boolean") {
      parts.push(JSON.stringify(v));
    } else if (typeof v === "object") {
      if (active.has(v)) throw new WorkflowError("workflow_invalid", "Value contains a cycle");
      active.add(v);
      exits.push({ obj: v, at: parts.length });
      const frames: Frame[] = [];
      if (Array.isArray(v)) {
        frames.push({ kind: "raw", s: "[" });
        v.forEach((item, i) => {
          if (i > 0) frames.push({ kind: "raw", s: "," });
          frames.push({ kind: "value", v: item, depth: f.depth + 1 });
        });
        frames.push({ kind: "raw", s: "]" });
      } else {
        const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
        frames.push({ kind: "raw", s: "{" });
        keys.forEach((k, i) => {
          frames.push({ kind: "raw", s: (i > 0 ? "," : "") + JSON.stringify(k) + ":" });
          frames.push({ kind: "value", v: (v as Record<string, unknown>)[k], depth: f.depth + 1 });
        });
        frames.push({ kind: "raw", s: "}" });
      }
      frames.push({ kind: "raw", s: "\u0000exit" });
      for (let i = frames.length - 1; i >= 0; i--) stack.push(frames[i]!);
    } else {
      parts.push("null");
    }
  }
  return parts.join("");
}

/** sha256 hex of the canonical JSON of `value`. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}
