// What an agent reads before calling a deployment: its inputs as JSON Schema, an example call with
// plausible values, its recent cost and latency, and the same as a README-style markdown page (the
// MCP resource flowgate://deployments/{slug}).
import type { Ctx } from "@/lib/context";
import { getDeployment } from "@/lib/deployments/get-deployment";
import { getDeploymentStats } from "@/lib/deployments/get-deployment-stats";
import type { DeploymentStats } from "@/lib/deployments/get-deployment-stats.types";
import type { Slot } from "@/lib/comfy-graph";

export const deploymentUri = (slug: string) => `flowgate://deployments/${slug}`;

/** A value that passes the slot's checks: its default, else something of the right type and range. */
export function exampleValue(slot: Slot): unknown {
  if (slot.default !== undefined && slot.default !== null) return slot.default;
  switch (slot.type) {
    case "string":
      return /prompt|text/i.test(slot.name) ? "a red fox in the snow, golden hour" : "example";
    case "integer":
      return Math.max(slot.min ?? 1, Math.min(slot.max ?? 1, 1));
    case "number":
      return Math.max(slot.min ?? 1, Math.min(slot.max ?? 1, 1));
    case "boolean":
      return true;
    case "enum":
      return slot.enum?.[0];
    case "image":
      return "https://example.com/input.png";
    case "seed":
      return 42;
  }
}

export function exampleInputs(slots: Slot[]): Record<string, unknown> {
  // Required slots and a prompt-like one; optional ones keep their defaults.
  const out: Record<string, unknown> = {};
  for (const s of slots) if (s.required || (s.type === "string" && /prompt/i.test(s.name))) out[s.name] = exampleValue(s);
  return out;
}

export async function describeDeployment(ctx: Ctx, slug: string) {
  const d = await getDeployment({ ctx, input: { slug } });
  const stats = await getDeploymentStats({ ctx, input: { slug } });
  const inputs = exampleInputs(d.slots);
  return {
    slug: d.slug,
    name: d.name,
    status: d.status,
    workflowVersion: d.workflowVersion,
    resourceUri: deploymentUri(d.slug),
    slots: d.slots,
    inputSchema: d.inputSchema,
    exampleCall: { tool: "run_deployment", arguments: { deployment: d.slug, inputs, wait: 20 } },
    targets: d.targets,
    timeoutSeconds: d.timeoutSeconds,
    maxAttempts: d.maxAttempts,
    stats,
    http: { method: "POST", url: d.url, body: { inputs }, openapiUrl: d.openapiUrl },
  };
}
export type DeploymentDescription = Awaited<ReturnType<typeof describeDeployment>>;

const fmtMs = (ms: number | null) => (ms === null ? "unknown" : ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(1)} s`);

function statsLine(s: DeploymentStats): string {
  if (!s.runs) return `No runs in the last ${s.days} days: cost and latency not known yet.`;
  const cost = s.costPerRunUsd === null ? "unknown" : `$${s.costPerRunUsd.toFixed(4)}`;
  const rate = s.successRate === null ? "n/a" : `${(s.successRate * 100).toFixed(1)} %`;
  return `Last ${s.days} days: ${s.runs} runs, success rate ${rate}, cost per run ${cost}, p50 ${fmtMs(s.p50Ms)}, p95 ${fmtMs(s.p95Ms)}.`;
}

/** The deployment as a README an agent (or a person) reads. */
export function deploymentReadme(d: DeploymentDescription): string {
  const rows = d.slots.map((s) => {
    const rule = [
      s.required ? "required" : "optional",
      s.min !== undefined ? `min ${s.min}` : "",
      s.max !== undefined ? `max ${s.max}` : "",
      s.enum ? `one of ${s.enum.slice(0, 10).map((v) => JSON.stringify(v)).join(", ")}${s.enum.length > 10 ? ", …" : ""}` : "",
      s.type === "seed" ? "empty = a fresh random seed per run" : "",
      s.type === "image" ? "data URI, base64 or http(s) URL" : "",
    ].filter(Boolean).join("; ");
    const def = s.default !== undefined ? JSON.stringify(s.default) : "";
    return `| \`${s.name}\` | ${s.type} | ${rule} | ${def.length > 60 ? `${def.slice(0, 57)}…` : def} | ${s.description ?? ""} |`;
  });
  return [
    `# ${d.name} (\`${d.slug}\`)`,
    "",
    `A Flowgate deployment: ComfyUI workflow version ${d.workflowVersion ?? "?"}, ${d.status}. It runs on ${d.targets.map((t) => t.endpointName ?? t.endpointId).join(", ") || "no endpoint"} (in that order of preference, with failover), times out after ${d.timeoutSeconds} s, tries up to ${d.maxAttempts} times.`,
    "",
    statsLine(d.stats),
    "",
    "## Inputs",
    "",
    d.slots.length ? "| slot | type | rule | default | description |\n|---|---|---|---|---|\n" + rows.join("\n") : "This deployment takes no inputs.",
    "",
    "## Call it",
    "",
    "MCP tool `run_deployment` (returns within `wait` seconds, at most 45; if the run is not done yet, call `wait_for_run` with its id):",
    "",
    "```json",
    JSON.stringify(d.exampleCall.arguments, null, 2),
    "```",
    "",
    `HTTP: \`POST ${d.http.url}\` with \`${JSON.stringify(d.http.body)}\` and \`Authorization: Bearer <api key>\` (OpenAPI: \`${d.http.openapiUrl}\`).`,
    "",
    "Outputs come back as signed download links (no API key needed) that expire after an hour; ask for the run again for fresh ones.",
    "",
    "## Input schema",
    "",
    "```json",
    JSON.stringify(d.inputSchema, null, 2),
    "```",
    "",
  ].join("\n");
}
