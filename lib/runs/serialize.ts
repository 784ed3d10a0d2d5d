// Run rows → API.md's Run object; the shape is lib/runs/schemas.ts's RunSchema (one source).
import type { Run as RunJsonShape, RunAttempt as RunAttemptJson } from "@/lib/runs/schemas";
import type { Deployment, Run, RunAttempt, RunOutput, WorkflowVersion } from "@/lib/generated/prisma/client";

type FullRun = Run & {
  deployment: Pick<Deployment, "slug">;
  workflowVersion: Pick<WorkflowVersion, "number">;
  attempts: RunAttempt[];
  outputs: RunOutput[];
};

export const runInclude = {
  deployment: { select: { slug: true } },
  workflowVersion: { select: { number: true } },
  attempts: { orderBy: { number: "asc" } },
  outputs: { orderBy: { createdAt: "asc" } },
} as const;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function serializeRun(r: FullRun): RunJsonShape {
  const attempts = r.attempts.map((a): RunAttemptJson => ({
    number: a.number,
    endpointId: a.endpointId,
    provider: a.provider,
    providerJobId: a.providerJobId,
    status: a.status,
    ...(a.error ? { error: a.error as RunAttemptJson["error"] } : {}),
    submittedAt: iso(a.submittedAt),
    startedAt: iso(a.startedAt),
    finishedAt: iso(a.finishedAt),
    queueMs: a.queueMs,
    coldStartMs: a.coldStartMs,
    uploadMs: a.uploadMs,
    executionMs: a.executionMs,
    downloadMs: a.downloadMs,
    costUsd: Number(a.costUsd),
  }));
  const finished = r.finishedAt?.getTime();
  const started = r.startedAt?.getTime();
  const created = r.createdAt.getTime();
  const executionMs = r.attempts.reduce((s, a) => s + (a.status === "succeeded" ? a.executionMs ?? 0 : 0), 0);
  return {
    id: r.id,
    deploymentSlug: r.deployment.slug,
    workflowVersion: r.workflowVersion.number,
    status: r.status,
    inputs: r.inputs as RunJsonShape["inputs"],
    resolvedInputs: (r.resolvedInputs ?? null) as RunJsonShape["resolvedInputs"],
    progress: (r.progress ?? null) as RunJsonShape["progress"],
    attempts,
    outputs: r.outputs.map((o) => ({
      id: o.id,
      nodeId: o.nodeId,
      filename: o.filename,
      contentType: o.contentType,
      kind: o.kind,
      sizeBytes: o.sizeBytes,
      url: `/api/v1/runs/${r.id}/outputs/${o.id}`,
    })),
    error: (r.error ?? null) as RunJsonShape["error"],
    timings: {
      queueMs: started ? started - created : null,
      executionMs: executionMs || null,
      totalMs: finished ? finished - created : null,
    },
    costUsd: Number(r.costUsd),
    webhook: r.webhookUrl ?? null,
    createdAt: r.createdAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
  };
}

export type RunJson = RunJsonShape;
