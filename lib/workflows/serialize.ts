// Database rows → the public JSON shapes of API.md.
import type { Workflow, WorkflowVersion } from "@/lib/generated/prisma/client";

export function serializeWorkflowVersion(v: WorkflowVersion, opts: { full: boolean }) {
  return {
    id: v.id,
    number: v.number,
    hash: v.hash,
    format: v.format,
    source: v.source,
    nodeCount: v.nodeCount,
    analysis: v.analysis,
    createdAt: v.createdAt.toISOString(),
    ...(opts.full ? { original: v.original, prompt: v.prompt } : {}),
  };
}

export function serializeWorkflow(w: Workflow & { versions?: WorkflowVersion[]; _count?: { versions: number; deployments: number } }) {
  const versions = w.versions ?? [];
  return {
    id: w.id,
    name: w.name,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
    versionCount: w._count?.versions ?? versions.length,
    deploymentCount: w._count?.deployments,
    latestVersion: versions[0] ? serializeWorkflowVersion(versions[0], { full: false }) : null,
    versions: versions.map((v) => serializeWorkflowVersion(v, { full: false })),
  };
}
