// API-format prompts: recognising one, and copying it into a clean, safe shape
// (own-property objects, string node ids, `[id, slot]` links with string ids).
import { z } from "zod";
import { WorkflowError } from "./errors";
import { isPlainObject, RESERVED_KEYS, setOwn } from "./own";
import type { ApiNode, ApiPrompt } from "./types";

const ApiNodeShape = z.object({
  class_type: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()).optional(),
  _meta: z.object({ title: z.string().optional() }).partial().passthrough().optional(),
}).passthrough();

/** True when the value looks like `{id: {class_type, inputs}}` (at least one entry, all objects with class_type). */
export function looksLikeApiPrompt(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  const entries = Object.values(v);
  if (entries.length === 0) return false;
  let withClass = 0;
  for (const e of entries) {
    if (!isPlainObject(e)) return false;
    if (typeof e.class_type === "string") withClass++;
  }
  return withClass > 0 && withClass >= entries.length / 2;
}

export function looksLikeUiWorkflow(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && Array.isArray(v.nodes) && (v.links === undefined || Array.isArray(v.links) || isPlainObject(v.links));
}

export function isLink(v: unknown): v is [string, number] {
  return Array.isArray(v) && v.length === 2 && (typeof v[0] === "string" || typeof v[0] === "number") && Number.isInteger(v[1]);
}

export function checkNodeId(id: string): void {
  if (RESERVED_KEYS.has(id)) throw new WorkflowError("workflow_invalid", `Node id ${JSON.stringify(id)} is not allowed`, { nodeId: id });
}

export function normalizeApiPrompt(raw: Record<string, unknown>): ApiPrompt {
  const out: ApiPrompt = {};
  const bad: { id: string; message: string }[] = [];
  for (const id of Object.keys(raw)) {
    checkNodeId(id);
    const parsed = ApiNodeShape.safeParse(raw[id]);
    if (!parsed.success) {
      bad.push({ id, message: parsed.error.issues.map((i) => `${i.path.join(".") || "node"}: ${i.message}`).join("; ") });
      continue;
    }
    const node = parsed.data;
    const inputs: Record<string, unknown> = {};
    const srcInputs = (raw[id] as { inputs?: Record<string, unknown> }).inputs ?? {};
    for (const name of Object.keys(srcInputs)) {
      if (name === "__proto__") throw new WorkflowError("workflow_invalid", `Input name "__proto__" on node ${id} is not allowed`, { nodeId: id, input: name });
      const v = srcInputs[name];
      setOwn(inputs, name, isLink(v) ? [String(v[0]), v[1]] : v);
    }
    const clean: ApiNode = { class_type: node.class_type, inputs };
    const title = node._meta?.title;
    if (typeof title === "string") clean._meta = { title };
    setOwn(out, id, clean);
  }
  if (bad.length) {
    throw new WorkflowError("workflow_invalid", `Node ${bad[0]!.id} is not a valid API-format node: ${bad[0]!.message}`, { nodes: bad.slice(0, 50) });
  }
  return out;
}
