// Small read-only queries over an API-format prompt shared by analysis and slot suggestion.
import { isLink } from "./api-format";
import { getDef, isOutputNode } from "./object-info";
import { getOwn, isPlainObject } from "./own";
import type { ApiNode, ApiPrompt, ObjectInfo } from "./types";

export function nodeOf(prompt: ApiPrompt, id: string): ApiNode | undefined {
  const n = getOwn<ApiNode>(prompt, id);
  return isPlainObject(n) && typeof n.class_type === "string" ? n : undefined;
}

export function inputsOf(node: ApiNode | undefined): Record<string, unknown> {
  return node && isPlainObject(node.inputs) ? node.inputs : {};
}

/** Natural order of node ids: "2" < "10" < "10:3" < "a". */
export function compareIds(a: string, b: string): number {
  const pa = a.split(":");
  const pb = b.split(":");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function sortedIds(prompt: ApiPrompt): string[] {
  return Object.keys(prompt).sort(compareIds);
}

export function outputNodeIds(prompt: ApiPrompt, objectInfo?: ObjectInfo): string[] {
  return sortedIds(prompt).filter((id) => {
    const n = nodeOf(prompt, id);
    return n !== undefined && isOutputNode(getDef(objectInfo, n.class_type));
  });
}

/** Ids of nodes the outputs depend on (outputs included). Without outputs, every node. */
export function reachableFromOutputs(prompt: ApiPrompt, outputs: string[]): Set<string> {
  if (outputs.length === 0) return new Set(Object.keys(prompt));
  const seen = new Set<string>(outputs);
  const queue = [...outputs];
  while (queue.length) {
    const id = queue.pop()!;
    for (const v of Object.values(inputsOf(nodeOf(prompt, id)))) {
      if (isLink(v)) {
        const src = String(v[0]);
        if (!seen.has(src) && nodeOf(prompt, src)) {
          seen.add(src);
          queue.push(src);
        }
      }
    }
  }
  return seen;
}

/**
 * Iterative depth-first walk over dependencies from each start (a 5,000-node chain cannot overflow
 * the stack), colouring nodes grey on the path and black when done: every node on a back edge's path
 * is returned as a cycle member. `onDone` sees each node in post-order (its dependencies first) with
 * the cycle members found so far.
 */
export function findCycles(starts: Iterable<string>, depsOf: (id: string) => readonly string[], onDone?: (id: string, cyclic: ReadonlySet<string>) => void): Set<string> {
  const state = new Map<string, 1 | 2>();
  const cyclic = new Set<string>();
  for (const start of starts) {
    if (state.has(start)) continue;
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const deps = depsOf(top.id);
      if (top.next < deps.length) {
        const d = deps[top.next++]!;
        const s = state.get(d);
        if (s === undefined) {
          state.set(d, 1);
          stack.push({ id: d, next: 0 });
        } else if (s === 1) {
          for (let i = stack.length - 1; i >= 0; i--) {
            cyclic.add(stack[i]!.id);
            if (stack[i]!.id === d) break;
          }
        }
        continue;
      }
      stack.pop();
      state.set(top.id, 2);
      onDone?.(top.id, cyclic);
    }
  }
  return cyclic;
}
