import type { Workflow, WorkflowVersion } from "../api";

/** The newest version a workflow record carries, whichever list/detail shape it came in. */
export function latestVersion(w: Workflow): Partial<WorkflowVersion> | undefined {
  if (w.versions && w.versions.length) return [...w.versions].sort((a, b) => b.number - a.number)[0];
  return w.latestVersion ?? w.version ?? undefined;
}

export function versionCount(w: Workflow): number | undefined {
  return w.versionCount ?? w.versions?.length ?? latestVersion(w)?.number;
}
