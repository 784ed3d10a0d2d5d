"use client";
// TanStack Query hooks over components/api.ts: one query key per API resource.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import {
  api,
  qs,
  TERMINAL_STATUSES,
  type Deployment,
  type DrainImpact,
  type Endpoint,
  type EndpointHealth,
  type Page,
  type PreflightResult,
  type Requirements,
  type CostPreview,
  type CreateRunpodEndpointInput,
  type CreateRunpodEndpointResult,
  type Run,
  type Slot,
  type UploadResult,
  type VersionDiff,
  type Workflow,
  type WorkflowVersion,
} from "./api";

export const keys = {
  workflows: ["workflows"] as const,
  workflow: (id: string) => ["workflows", id] as const,
  version: (id: string, n: number) => ["workflows", id, "versions", n] as const,
  endpoints: ["endpoints"] as const,
  deployments: (workflowId?: string) => ["deployments", { workflowId }] as const,
  deployment: (slug: string) => ["deployment", slug] as const,
  runs: (f: { deployment?: string; status?: string }) => ["runs", f] as const,
  run: (id: string) => ["run", id] as const,
};

export function useWorkflows() {
  return useQuery({ queryKey: keys.workflows, queryFn: () => api<Page<Workflow>>("/api/v1/workflows?limit=200") });
}

export function useWorkflow(id: string) {
  return useQuery({ queryKey: keys.workflow(id), queryFn: () => api<Workflow>(`/api/v1/workflows/${encodeURIComponent(id)}`) });
}

export function useWorkflowVersion(id: string, number: number | undefined) {
  return useQuery({
    queryKey: keys.version(id, number ?? 0),
    queryFn: () => api<WorkflowVersion>(`/api/v1/workflows/${encodeURIComponent(id)}/versions/${number}`),
    enabled: !!id && number !== undefined,
    staleTime: Infinity, // versions are immutable
  });
}

export function useUploadWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    /** With `workflowId` the upload becomes the next version of that workflow. */
    mutationFn: (input: { file?: File; json?: unknown; name?: string; workflowId?: string }) => {
      if (input.file) {
        const form = new FormData();
        form.set("file", input.file);
        if (input.name) form.set("name", input.name);
        if (input.workflowId) form.set("workflowId", input.workflowId);
        return api<UploadResult>("/api/v1/workflows", { method: "POST", body: form });
      }
      return api<UploadResult>("/api/v1/workflows", {
        method: "POST",
        json: input.workflowId
          ? { workflowId: input.workflowId, workflow: input.json, ...(input.name ? { name: input.name } : {}) }
          : { name: input.name || "Untitled workflow", workflow: input.json },
      });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.workflows }),
  });
}

/** What changed from version `against` to version `number`, and which deployment slots carry over to `number`. */
export function useVersionDiff(id: string, number: number | undefined, against: number | undefined) {
  return useQuery({
    queryKey: ["workflows", id, "diff", number ?? 0, against ?? 0],
    queryFn: () => api<VersionDiff>(`/api/v1/workflows/${encodeURIComponent(id)}/versions/${number}/diff${qs({ against })}`),
    enabled: !!id && number !== undefined && against !== undefined && number !== against,
  });
}

/** Custom node packs, model files (folder, source) and unknown classes of a version. */
export function useRequirements(id: string, number: number | undefined) {
  return useQuery({
    queryKey: ["workflows", id, "requirements", number ?? 0],
    queryFn: () => api<Requirements>(`/api/v1/workflows/${encodeURIComponent(id)}/versions/${number}/requirements`),
    enabled: !!id && number !== undefined,
  });
}

/** Expected cost per run / per 1,000 runs on candidate GPUs, and the daily cost of workersMin warm workers. */
export function useCostPreview(id: string, number: number | undefined, workersMin: number) {
  return useQuery({
    queryKey: ["workflows", id, "cost-preview", number ?? 0, workersMin],
    queryFn: () => api<CostPreview>(`/api/v1/workflows/${encodeURIComponent(id)}/versions/${number}/cost-preview${qs({ workersMin })}`),
    enabled: !!id && number !== undefined,
  });
}

/** Create a RunPod template + endpoint through RunPod's API, register it, wait for its workers. */
export function useCreateRunpodEndpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRunpodEndpointInput) => api<CreateRunpodEndpointResult>("/api/v1/provision/runpod-endpoints", { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.endpoints }),
  });
}

/** Remember a class's pack (git URL) or a model's download URL; every version's requirements change. */
export function useResolveRequirement() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: "class" | "model"; key: string; url: string | null }) => api<{ kind: string; key: string; url: string | null }>("/api/v1/provision/resolutions", { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === "workflows" && q.queryKey[2] === "requirements" }),
  });
}

/** Can this endpoint run the version? Node classes, model files and validation, by node. */
export function usePreflight(id: string, number: number | undefined) {
  return useMutation({
    mutationFn: (endpointId: string) =>
      api<PreflightResult>(`/api/v1/workflows/${encodeURIComponent(id)}/versions/${number}/preflight`, { method: "POST", json: { endpointId } }),
  });
}

export function useEndpoints() {
  return useQuery({ queryKey: keys.endpoints, queryFn: () => api<Page<Endpoint>>("/api/v1/endpoints?limit=200") });
}

export function useCreateEndpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      name: string;
      provider: string;
      config: Record<string, unknown>;
      secret?: string;
      gpu?: string;
      pricePerHourUsd?: number;
    }) => api<Endpoint>("/api/v1/endpoints", { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.endpoints }),
  });
}

export function useEndpointHealth() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<EndpointHealth>(`/api/v1/endpoints/${encodeURIComponent(id)}/health`),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.endpoints }),
  });
}

export function useUpdateEndpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; name?: string; config?: Record<string, unknown>; secret?: string; gpu?: string; pricePerHourUsd?: number }) =>
      api<Endpoint>(`/api/v1/endpoints/${encodeURIComponent(id)}`, { method: "PATCH", json: body }),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.endpoints }),
  });
}

/** On-call and admin actions on an endpoint (each is audited server-side). */
export type EndpointAction = "restart" | "purge-queue" | "disable" | "enable" | "delete";

export function useEndpointAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: EndpointAction }) =>
      action === "delete"
        ? api<null>(`/api/v1/endpoints/${encodeURIComponent(id)}`, { method: "DELETE" })
        : api<{ message?: string }>(`/api/v1/endpoints/${encodeURIComponent(id)}/${action}`, { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.endpoints }),
  });
}

export function useDeployments(workflowId?: string) {
  return useQuery({
    queryKey: keys.deployments(workflowId),
    queryFn: () => api<Page<Deployment>>(`/api/v1/deployments${qs({ workflowId, limit: 200 })}`),
  });
}

export function useDeployment(slug: string) {
  return useQuery({
    queryKey: keys.deployment(slug),
    queryFn: () => api<Deployment>(`/api/v1/deployments/${encodeURIComponent(slug)}`),
    enabled: !!slug,
  });
}

export interface CreateDeploymentBody {
  name: string;
  slug?: string;
  workflowVersionId: string;
  slots: Slot[];
  targets: { endpointId: string; priority: number }[];
  timeoutSeconds?: number;
  maxAttempts?: number;
}

export function useCreateDeployment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateDeploymentBody) =>
      api<{ id: string; slug: string; url: string; openapiUrl?: string }>("/api/v1/deployments", { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["deployments"] }),
  });
}

export function useUpdateDeployment(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      workflowVersionId?: string;
      slots?: Slot[];
      name?: string;
      paused?: boolean;
      targets?: { endpointId: string; priority: number }[];
      timeoutSeconds?: number;
      maxAttempts?: number;
      stuckAfterSeconds?: number;
      hedgeBudgetPercent?: number | null;
    }) => api<Deployment>(`/api/v1/deployments/${encodeURIComponent(slug)}`, { method: "PATCH", json: body }),
    onSuccess: (d) => {
      qc.setQueryData(keys.deployment(slug), d);
      qc.invalidateQueries({ queryKey: ["deployments"] });
      qc.invalidateQueries({ queryKey: ["workflows"] });
    },
  });
}

/** Pause / resume (POST …/pause | …/resume) and delete (DELETE; runs and their history are kept). */
export function useDeploymentLifecycle(slug: string) {
  const qc = useQueryClient();
  const settle = () => {
    qc.invalidateQueries({ queryKey: keys.deployment(slug) });
    qc.invalidateQueries({ queryKey: ["deployments"] });
  };
  const pause = useMutation({
    mutationFn: (paused: boolean) => api<Deployment>(`/api/v1/deployments/${encodeURIComponent(slug)}/${paused ? "pause" : "resume"}`, { method: "POST" }),
    onSettled: settle,
  });
  const remove = useMutation({
    mutationFn: () => api<Deployment>(`/api/v1/deployments/${encodeURIComponent(slug)}`, { method: "DELETE" }),
    onSettled: settle,
  });
  return { pause, remove };
}

/** What draining this endpoint would do (nothing changes): deployments left with no enabled target. */
export function useDrainImpact() {
  return useMutation({
    mutationFn: (id: string) => api<DrainImpact>(`/api/v1/endpoints/${encodeURIComponent(id)}/disable?dryRun=true`, { method: "POST" }),
  });
}

export function useRuns(filter: { deployment?: string; status?: string }, opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: keys.runs(filter),
    queryFn: () => api<Page<Run>>(`/api/v1/runs${qs({ ...filter, limit: 100 })}`),
    refetchInterval: opts.refetchInterval,
  });
}

export function useStartRun(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (inputs: Record<string, unknown>) =>
      api<Run>(`/api/v1/deployments/${encodeURIComponent(slug)}/runs`, { method: "POST", json: { inputs } }),
    onSuccess: (run) => {
      qc.setQueryData(keys.run(run.id), run);
      qc.invalidateQueries({ queryKey: ["runs"] });
    },
  });
}

export function useCancelRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Run>(`/api/v1/runs/${encodeURIComponent(id)}/cancel`, { method: "POST" }),
    onSuccess: (run) => qc.setQueryData(keys.run(run.id), run),
  });
}

export function useRetryRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Run>(`/api/v1/runs/${encodeURIComponent(id)}/retry`, { method: "POST" }),
    onSuccess: (run) => {
      qc.setQueryData(keys.run(run.id), run);
      qc.invalidateQueries({ queryKey: ["runs"] });
    },
  });
}

/**
 * A run kept live: loads it once, then follows `/events` (SSE, whole Run per change) until a
 * terminal status. If the stream drops before the end, falls back to polling.
 */
export function useLiveRun(id: string | null | undefined) {
  const qc = useQueryClient();
  const [streamFailed, setStreamFailed] = useState(false);
  const query = useQuery({
    queryKey: keys.run(id ?? ""),
    queryFn: () => api<Run>(`/api/v1/runs/${encodeURIComponent(id!)}`),
    enabled: !!id,
    // Polls at 1.5 s once the stream failed; while it is healthy a slow refetch (10 s) is the safety
    // net should the stream stay open without bringing the end (seen once in CI on a loaded machine:
    // the run succeeded, the page showed "running" for 90 s).
    refetchInterval: (q) => {
      const run = q.state.data;
      if (!run || TERMINAL_STATUSES.includes(run.status)) return false;
      return streamFailed ? 1500 : 10_000;
    },
  });
  const terminal = query.data ? TERMINAL_STATUSES.includes(query.data.status) : false;
  const terminalRef = useRef(terminal);
  terminalRef.current = terminal;

  useEffect(() => {
    if (!id || terminalRef.current) return;
    setStreamFailed(false);
    const source = new EventSource(`/api/v1/runs/${encodeURIComponent(id)}/events`);
    const onRun = (ev: MessageEvent) => {
      try {
        const run = JSON.parse(ev.data) as Run;
        qc.setQueryData(keys.run(id), run);
        if (TERMINAL_STATUSES.includes(run.status)) {
          source.close();
          qc.invalidateQueries({ queryKey: ["runs"] });
        }
      } catch {
        // ignore a malformed frame; the next one carries the whole run again
      }
    };
    source.addEventListener("run", onRun as EventListener);
    source.onerror = () => {
      // EventSource retries on its own; once the run ended the server closes the stream on purpose.
      if (source.readyState === EventSource.CLOSED) setStreamFailed(true);
      if (terminalRef.current) source.close();
      else {
        source.close();
        setStreamFailed(true);
        qc.invalidateQueries({ queryKey: keys.run(id) });
      }
    };
    return () => source.close();
  }, [id, qc]);

  return query;
}

export interface WebhookDelivery {
  id: string;
  url: string;
  eventType: string;
  status: "pending" | "sending" | "retrying" | "delivered" | "dead";
  attemptCount: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  attempts: { number: number; statusCode: number | null; durationMs: number | null; error: string | null; at: string }[];
}

/** A run's webhook deliveries; refreshed while any is still being tried. */
export function useRunWebhooks(runId: string, enabled: boolean) {
  return useQuery({
    queryKey: ["run", runId, "webhooks"],
    queryFn: () => api<Page<WebhookDelivery>>(`/api/v1/runs/${encodeURIComponent(runId)}/webhooks`),
    enabled,
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === "pending" || d.status === "sending" || d.status === "retrying") ? 3000 : false),
  });
}

export function useReplayWebhook(runId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) =>
      api<{ id: string; status: string }>(`/api/v1/runs/${encodeURIComponent(runId)}/webhooks/${encodeURIComponent(deliveryId)}/replay`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["run", runId, "webhooks"] }),
  });
}

// --- On-call: endpoint states, overview, audit (lib/endpoints/get-endpoint-state.ts, lib/oncall)
import type { EndpointState } from "@/lib/endpoints/get-endpoint-state.types";
import type { Overview } from "@/lib/oncall/get-overview.types";
import type { AuditEntry } from "@/lib/audit/list-audit.types";
export type { EndpointState, Overview };

/** Live boards refetch this often (the overview and endpoint states are a few indexed queries). */
export const LIVE_MS = 3000;

export function useEndpointStates() {
  return useQuery({ queryKey: ["endpoint-states"], queryFn: () => api<{ items: EndpointState[] }>("/api/v1/endpoints/states"), refetchInterval: LIVE_MS });
}

export function useEndpointState(id: string) {
  return useQuery({ queryKey: ["endpoint-state", id], queryFn: () => api<EndpointState>(`/api/v1/endpoints/${encodeURIComponent(id)}/state`), refetchInterval: LIVE_MS });
}

export function useEndpoint(id: string) {
  return useQuery({ queryKey: [...keys.endpoints, id], queryFn: () => api<Endpoint>(`/api/v1/endpoints/${encodeURIComponent(id)}`) });
}

export function useEndpointRuns(id: string) {
  return useQuery({
    queryKey: ["runs", { endpoint: id, live: true }],
    queryFn: () => api<Page<Run>>(`/api/v1/runs${qs({ endpoint: id, live: "true", limit: 50 })}`),
    refetchInterval: LIVE_MS,
  });
}

export function useOverview() {
  return useQuery({ queryKey: ["overview"], queryFn: () => api<Overview>("/api/v1/overview"), refetchInterval: LIVE_MS });
}

export type AuditRow = AuditEntry;
export function useAudit(f: { actor?: string; action?: string; targetType?: string; targetId?: string; since?: string; cursor?: string }) {
  return useQuery({ queryKey: ["audit", f], queryFn: () => api<Page<AuditEntry>>(`/api/v1/audit${qs({ ...f, limit: 100 })}`), refetchInterval: LIVE_MS });
}

// --- Runs board: one SSE stream for the whole list (GET /api/v1/runs/events) keeps every cached
// runs page current; a run not on a cached page (a new one) refreshes the first pages, at most every 2 s.
export interface RunsBoardFilter {
  deployment?: string;
  status?: string;
  endpoint?: string;
  since?: string;
  q?: string;
  cursor?: string;
}

export function useRunsBoard(filter: RunsBoardFilter) {
  return useQuery({
    queryKey: ["runs", "board", filter] as const,
    queryFn: () => api<Page<Run>>(`/api/v1/runs${qs({ ...filter, limit: 50 })}`),
    placeholderData: (prev) => prev,
  });
}

export function useRunListStream() {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource("/api/v1/runs/events");
    let refreshAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refreshFirstPages = () => {
      if (timer) return;
      const wait = Math.max(0, refreshAt - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        refreshAt = Date.now() + 2000;
        void qc.invalidateQueries({ queryKey: ["runs"], predicate: (q) => !(q.queryKey.at(-1) as { cursor?: string } | undefined)?.cursor });
        void qc.invalidateQueries({ queryKey: ["overview"] });
      }, wait);
    };
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("run", (e) => {
      const run = JSON.parse((e as MessageEvent<string>).data) as Run;
      let found = false;
      qc.setQueriesData<Page<Run>>({ queryKey: ["runs"] }, (page) => {
        if (!page?.items) return page;
        const i = page.items.findIndex((r) => r.id === run.id);
        if (i < 0) return page;
        found = true;
        const items = page.items.slice();
        items[i] = run;
        return { ...page, items };
      });
      if (!found) refreshFirstPages();
    });
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, [qc]);
  return connected;
}

export function useBulkRuns() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { action: "cancel" | "retry"; runIds: string[] }) => api<BulkRunsResult>("/api/v1/runs/bulk", { method: "POST", json: body }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["runs"] }),
  });
}
import type { BulkRunsResult } from "@/lib/runs/bulk-runs.types";

// --- Alerts (lib/oncall/alert-settings.ts, evaluated by the worker)
import type { Alerts, AlertSettings, UpdateAlertSettingsInput } from "@/lib/oncall/get-alert-settings.types";
export type { Alerts, AlertSettings };

export function useAlerts() {
  return useQuery({ queryKey: ["alerts"], queryFn: () => api<Alerts>("/api/v1/alerts"), refetchInterval: 5000 });
}

export function useUpdateAlertSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateAlertSettingsInput) => api<AlertSettings>("/api/v1/alerts", { method: "PATCH", json: body }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["alerts"] }),
  });
}

// --- Test run of an endpoint (health, pre-flight, tiny run)
import type { TestEndpointOutput } from "@/lib/endpoints/test-endpoint.types";
export function useTestEndpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<TestEndpointOutput>(`/api/v1/endpoints/${encodeURIComponent(id)}/test-run`, { method: "POST" }),
    onSettled: (_d, _e, id) => qc.invalidateQueries({ queryKey: ["endpoint-state", id] }),
  });
}

// --- Scaling knobs of a RunPod endpoint (PATCH through RunPod's REST API)
import type { UpdateRunpodScalingResult } from "@/lib/provision/update-runpod-scaling.types";
export type RunpodScalingChange = { workersMin?: number; workersMax?: number; idleTimeout?: number; flashboot?: boolean; executionTimeoutMs?: number };
export function useUpdateRunpodScaling(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RunpodScalingChange) => api<UpdateRunpodScalingResult>(`/api/v1/provision/runpod-endpoints/${encodeURIComponent(id)}`, { method: "PATCH", json: body }),
    onSettled: () => qc.invalidateQueries({ queryKey: [...keys.endpoints, id] }),
  });
}
