// Legacy group nodes (`extra.groupNodes`, node type "workflow/NAME" or "workflow>NAME"): each
// instance is expanded into its inner nodes with ids `<group id>:<index>`, as the old frontend did
// when building the prompt. The group's widget values are handed back to the inner widgets in
// order, its input/output slots are mapped to the inner sockets they stand for.
import { CONTROL_VALUES, defInputs, getDef, hasControlWidget, isWidgetInput, outputTypes } from "./object-info";
import { getOwn, isPlainObject } from "./own";
import type { ObjectInfo, WorkflowWarning } from "./types";
import { normalizeLinks, type UiLink, type UiNode } from "./ui-graph";

interface GroupDef {
  nodes: Record<string, unknown>[];
  links: unknown[][];
  external: unknown[][];
  config: Record<string, { input?: Record<string, { visible?: boolean }>; output?: Record<string, { visible?: boolean }> }>;
}

function groupName(type: string): string | undefined {
  const m = /^workflow[/>](.+)$/.exec(type);
  return m ? m[1] : undefined;
}

export function expandGroupNodes(ui: Record<string, unknown>, objectInfo: ObjectInfo): { nodes: unknown; links: unknown; warnings: WorkflowWarning[] } {
  const groups = getOwn<unknown>(getOwn(ui, "extra"), "groupNodes");
  const warnings: WorkflowWarning[] = [];
  if (!isPlainObject(groups) || !Array.isArray(ui.nodes)) return { nodes: ui.nodes, links: ui.links, warnings };
  const instances = (ui.nodes as unknown[]).filter(
    (n): n is UiNode => isPlainObject(n) && typeof n.type === "string" && groupName(n.type) !== undefined && isPlainObject(getOwn(groups, groupName(n.type)!)),
  );
  if (instances.length === 0) return { nodes: ui.nodes, links: ui.links, warnings };

  const links = normalizeLinks(ui.links);
  const linkById = new Map<number, UiLink>(links.map((l) => [l.id, l]));
  let nextLinkId = Math.max(0, ...links.map((l) => l.id)) + 1_000_000;
  const nodes: UiNode[] = (ui.nodes as UiNode[]).filter((n) => !instances.includes(n));

  for (const g of instances) {
    const def = getOwn<GroupDef>(groups, groupName(g.type)!)!;
    const inner = (Array.isArray(def.nodes) ? def.nodes : []).filter(isPlainObject).map((n, i) => ({
      ...(n as object),
      id: `${String(g.id)}:${i}`,
      mode: g.mode === 2 || g.mode === 4 ? g.mode : (n as { mode?: number }).mode,
      inputs: Array.isArray(n.inputs) ? (n.inputs as Record<string, unknown>[]).map((x) => ({ ...x, link: null })) : [],
      outputs: Array.isArray(n.outputs) ? (n.outputs as Record<string, unknown>[]).map((x) => ({ ...x, links: [] })) : [],
    })) as unknown as UiNode[];
    const internal = (Array.isArray(def.links) ? def.links : []).filter((l) => Array.isArray(l) && l[0] !== null && l[0] !== undefined);
    const linkedTo = new Set(internal.map((l) => `${l[2]}:${l[3]}`));
    const linkedFrom = new Set(internal.map((l) => `${l[0]}:${l[1]}`));
    const external = new Set(
      (Array.isArray(def.external) ? def.external : []).map((e) => `${isPlainObject(e[0]) ? (e[0] as { index?: number }).index : e[0]}:${e[1]}`),
    );

    // Internal links.
    for (const l of internal) {
      const from = inner[Number(l[0])];
      const to = inner[Number(l[2])];
      if (!from || !to || !to.inputs?.[Number(l[3])]) continue;
      const id = nextLinkId++;
      links.push({ id, origin_id: from.id, origin_slot: Number(l[1]), target_id: to.id, target_slot: Number(l[3]), type: l[5] });
      to.inputs[Number(l[3])]!.link = id;
    }

    // Widget values: the group's list, in inner-node order, skipping internally linked converted widgets.
    const values = Array.isArray(g.widgets_values) ? g.widgets_values : [];
    let p = 0;
    inner.forEach((n, i) => {
      const ndef = getDef(objectInfo, n.type);
      const own = Array.isArray(n.widgets_values) ? n.widgets_values : [];
      if (!ndef) return;
      const out: unknown[] = [];
      let q = 0;
      for (const w of defInputs(ndef).filter(isWidgetInput)) {
        const slot = (n.inputs ?? []).findIndex((x) => x.name === w.name && isPlainObject(x.widget));
        const internallyLinked = slot >= 0 && linkedTo.has(`${i}:${slot}`);
        const take = (): unknown => (internallyLinked ? own[q] : p < values.length ? values[p++] : own[q]);
        out.push(take());
        q++;
        if (hasControlWidget(w) && (internallyLinked ? CONTROL_VALUES.has(own[q] as string) : CONTROL_VALUES.has(values[p] as string) || typeof values[p] === "boolean")) {
          out.push(take());
          q++;
        }
      }
      n.widgets_values = out;
    });
    if (p !== values.length && values.length > 0) {
      warnings.push({ code: "group_node_widgets", message: `Group node ${String(g.id)} (${g.type}): ${values.length} widget values, ${p} mapped`, nodeId: String(g.id) });
    }

    // Group input slots: per inner node, unlinked sockets, then unlinked converted widgets.
    const inputSlots: { node: UiNode; slot: number }[] = [];
    inner.forEach((n, i) => {
      const ins = n.inputs ?? [];
      ins.forEach((x, s) => {
        if (!isPlainObject(x.widget) && !linkedTo.has(`${i}:${s}`)) inputSlots.push({ node: n, slot: s });
      });
      ins.forEach((x, s) => {
        if (isPlainObject(x.widget) && !linkedTo.has(`${i}:${s}`)) inputSlots.push({ node: n, slot: s });
      });
    });
    (g.inputs ?? []).forEach((x, s) => {
      const target = inputSlots[s];
      const link = x.link === null || x.link === undefined ? undefined : linkById.get(Number(x.link));
      if (!target || !link) return;
      link.target_id = target.node.id;
      link.target_slot = target.slot;
      target.node.inputs![target.slot]!.link = link.id;
    });

    // Group output slots: visible inner outputs in order.
    const outputSlots: { node: UiNode; slot: number }[] = [];
    inner.forEach((n, i) => {
      const ndef = getDef(objectInfo, n.type);
      const count = ndef ? outputTypes(ndef).length : (n.outputs ?? []).length;
      for (let s = 0; s < count; s++) {
        const hidden = linkedFrom.has(`${i}:${s}`) && !external.has(`${i}:${s}`);
        const visible = def.config?.[String(i)]?.output?.[String(s)]?.visible ?? !hidden;
        if (visible) outputSlots.push({ node: n, slot: s });
      }
    });
    for (const link of links) {
      if (String(link.origin_id) !== String(g.id)) continue;
      const src = outputSlots[link.origin_slot];
      if (!src) continue;
      link.origin_id = src.node.id;
      link.origin_slot = src.slot;
    }
    nodes.push(...inner);
  }
  return { nodes, links, warnings };
}
