"use client";
// The Deploy sheet's state and submit: name and slug (the slug follows the name until edited),
// target endpoints in priority order (healthy ones preselected), limits, the checks made before
// sending, and an `endpoint_incompatible` refusal turned into per-node issues for the graph.
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ApiError, type Endpoint, type IncompatibleEndpoint, type WorkflowVersion } from "../api";
import { healthStatus } from "../endpoints/health";
import type { NodeIssue } from "../graph/model";
import { useCreateDeployment, useEndpoints } from "../queries";
import type { SlotDraftApi } from "./slot-draft";

// One slug rule and one slot-name rule for the dashboard and the server (the server's own schemas).
import { slugFieldValue, slugify } from "@/lib/deployments/slug";
import { deployFormProblem } from "./deploy-checks";
export { slugify };

function incompatibleOf(error: unknown): IncompatibleEndpoint[] {
  return error instanceof ApiError && error.code === "endpoint_incompatible"
    ? (((error.details as { endpoints?: IncompatibleEndpoint[] } | undefined)?.endpoints ?? []) as IncompatibleEndpoint[])
    : [];
}

export function useDeployForm({
  workflowName,
  version,
  draftApi,
  onIncompatible,
}: {
  workflowName: string;
  version: WorkflowVersion;
  draftApi: SlotDraftApi;
  onIncompatible: (issues: Record<string, NodeIssue[]> | undefined) => void;
}) {
  const router = useRouter();
  const endpoints = useEndpoints();
  const create = useCreateDeployment();
  const [name, setNameState] = useState(workflowName);
  const [slug, setSlugState] = useState(slugify(workflowName));
  const [slugTouched, setSlugTouched] = useState(false);
  const [targets, setTargets] = useState<string[]>([]);
  const [timeoutSeconds, setTimeoutSeconds] = useState("600");
  const [maxAttempts, setMaxAttempts] = useState("3");
  const [formError, setFormError] = useState<string | null>(null);
  const slots = draftApi.draft.slots;

  const byId = useMemo(() => new Map((endpoints.data?.items ?? []).map((e) => [e.id, e])), [endpoints.data]);
  // Preselect healthy endpoints once, so the common case is one click.
  const [preselected, setPreselected] = useState(false);
  if (!preselected && endpoints.data) {
    setPreselected(true);
    const usable = endpoints.data.items.filter((e) => healthStatus(e) !== "disabled");
    const healthy = usable.filter((e) => healthStatus(e) === "healthy");
    setTargets((healthy.length ? healthy : usable).slice(0, 1).map((e) => e.id));
  }

  const incompatible = incompatibleOf(create.error);


  const setName = (value: string) => {
    setNameState(value);
    if (!slugTouched) setSlugState(slugify(value));
  };
  const setSlug = (value: string) => {
    setSlugTouched(true);
    setSlugState(slugFieldValue(value));
  };

  async function submit() {
    setFormError(null);
    const problem = deployFormProblem({ name, slug, targets, slotNames: slots.map((s) => s.name) });
    if (problem) return setFormError(problem);
    onIncompatible(undefined);
    try {
      const res = await create.mutateAsync({
        name: name.trim(),
        slug: slug || undefined,
        workflowVersionId: version.id,
        slots,
        targets: targets.map((endpointId, priority) => ({ endpointId, priority })),
        timeoutSeconds: Number(timeoutSeconds) || undefined,
        maxAttempts: Number(maxAttempts) || undefined,
      });
      router.push(`/deployments/${res.slug}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === "endpoint_incompatible") {
        const list = incompatibleOf(e);
        const issues: Record<string, NodeIssue[]> = {};
        for (const ep of list) {
          const epName = byId.get(ep.endpointId)?.name ?? ep.endpointId;
          for (const m of ep.missingModels ?? [])
            (issues[m.nodeId] ??= []).push({ kind: "model", message: `${m.name} (${m.input}) is missing on ${epName}.` });
          for (const cls of ep.missingNodes ?? [])
            for (const [id, node] of Object.entries(version.prompt ?? {}))
              if (node.class_type === cls) (issues[id] ??= []).push({ kind: "error", message: `${cls} is not installed on ${epName}.` });
        }
        onIncompatible(issues);
      }
    }
  }

  const toggle = (id: string) => setTargets((t) => (t.includes(id) ? t.filter((x) => x !== id) : [...t, id]));
  const move = (id: string, dir: -1 | 1) =>
    setTargets((t) => {
      const i = t.indexOf(id);
      const j = i + dir;
      if (i < 0 || j < 0 || j >= t.length) return t;
      const n = [...t];
      [n[i], n[j]] = [n[j], n[i]];
      return n;
    });

  // chosen targets first, in priority order, then the rest
  const available = endpoints.data?.items ?? [];
  const ordered: Endpoint[] = [
    ...targets.map((id) => byId.get(id)).filter((e): e is Endpoint => !!e),
    ...available.filter((e) => !targets.includes(e.id)),
  ];

  return {
    endpoints,
    create,
    name,
    setName,
    slug,
    setSlug,
    timeoutSeconds,
    setTimeoutSeconds,
    maxAttempts,
    setMaxAttempts,
    targets,
    toggle,
    move,
    ordered,
    incompatible,
    formError,
    submit,
  };
}

export type DeployForm = ReturnType<typeof useDeployForm>;
