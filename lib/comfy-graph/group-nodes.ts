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

    // Group input slots: per inner node, unlinked sockets, then unlinked converted widgets — the
    // order the frontend builds the group's inputs in. Each gets the name the frontend gives it (a
    // config rename, else the inner name, prefixed with the node's title when already taken), so the
    // instance's inputs are matched by name: newer frontends also list every widget of the group as
    // an input, which shifts positions.
    const inputSlots: { node: UiNode; slot: number; name: string; widget: boolean }[] = [];
    const seen = new Set<string>();
    const nameOf = (n: UiNode, i: number, x: { name?: unknown; type?: unknown; label?: unknown }): string => {
      const cfg = def.config?.[String(i)]?.input as Record<string, { name?: unknown }> | undefined;
      const inner = String(x.name ?? "");
      const renamed = cfg?.[inner]?.name ?? (inner === "" ? cfg?.[String(x.type)]?.name : undefined);
      let name = typeof renamed === "string" && renamed ? renamed : typeof x.label === "string" && x.label ? x.label : inner;
      if (seen.has(name)) name = `${typeof n.title === "string" && n.title ? n.title : n.type} ${inner || name}`;
      seen.add(name);
      return name;
    };
    inner.forEach((n, i) => {
      const ins = n.inputs ?? [];
      ins.forEach((x, s) => {
        if (!isPlainObject(x.widget) && !linkedTo.has(`${i}:${s}`)) inputSlots.push({ node: n, slot: s, name: nameOf(n, i, x), widget: false });
      });
      ins.forEach((x, s) => {
        if (isPlainObject(x.widget) && !linkedTo.has(`${i}:${s}`)) inputSlots.push({ node: n, slot: s, name: nameOf(n, i, x), widget: true });
      });
    });
    const instanceInputs = g.inputs ?? [];
    const sockets = inputSlots.filter((t) => !t.widget);
    const used = new Set<(typeof inputSlots)[number]>();
    let socketPos = 0;
    instanceInputs.forEach((x, s) => {
      const isWidget = isPlainObject(x.widget);
      const wanted = isWidget ? String((x.widget as { name?: unknown }).name ?? x.name) : String(x.name ?? "");
      let target = inputSlots.find((t) => !used.has(t) && (t.name === wanted || t.name === x.name));
      if (!target) target = instanceInputs.length === inputSlots.length ? inputSlots[s] : isWidget ? undefined : sockets[socketPos];
      if (!isWidget) socketPos++;
      if (!target || used.has(target)) return;
      used.add(target);
      const link = x.link === null || x.link === undefined ? undefined : linkById.get(Number(x.link));
      if (!link) return;
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
