// import_workflow: upload a ComfyUI workflow (API or UI JSON) or fetch one from a URL — typically an
// output image (PNG/WebP) that carries its workflow — through lib/net's outbound policy.
import { z } from "zod";
import { importResponse, importWorkflow, ImportWorkflowInput } from "@/lib/workflows/import-workflow";
import { ImportWorkflowResultSchema, WorkflowVersionSchema } from "@/lib/api/responses";
import { LIMITS } from "@/lib/api/input";
import { ApiError } from "@/lib/errors";
import { AddressRefusedError, OutboundError, outboundFetch } from "@/lib/net";
import { defineTool } from "../tool";
import { ok } from "../results";

// The API's ImportWorkflowResult, with the analysis as a plain object (JSON Schema has no custom types).
const ImportResult = ImportWorkflowResultSchema.extend({ version: WorkflowVersionSchema.extend({ analysis: z.record(z.string(), z.unknown()) }) });

async function fetchWorkflowBytes(url: string): Promise<{ bytes: Buffer; filename: string }> {
  let res;
  try {
    res = await outboundFetch(url, { purpose: "image", timeoutMs: 20_000, maxBytes: LIMITS.workflowUploadBytes, redirect: "follow" });
  } catch (err) {
    if (err instanceof AddressRefusedError) throw new ApiError("url_not_allowed", err.message, { field: "url", ...err.details });
    if (err instanceof OutboundError && err.code === "too_large") throw new ApiError("workflow_too_large", `The file at the URL is larger than ${LIMITS.workflowUploadBytes} bytes.`, { field: "url" });
    throw new ApiError("bad_request", `Could not download the workflow from the URL: ${(err as Error).message}.`, { field: "url" });
  }
  if (res.status < 200 || res.status >= 300) throw new ApiError("bad_request", `Downloading the workflow answered HTTP ${res.status}.`, { field: "url", status: res.status });
  const filename = decodeURIComponent(new URL(res.url).pathname.split("/").pop() || "workflow");
  return { bytes: res.body, filename };
}

/** The node classes of an API-format workflow (bare or wrapped), to name the class beside each node id an error lists. */
function nodeClasses(workflow: unknown): Record<string, string> {
  const w = workflow as Record<string, unknown> | undefined;
  const prompt = (w?.prompt ?? (w?.input as Record<string, unknown> | undefined)?.workflow ?? w) as Record<string, unknown> | undefined;
  const out: Record<string, string> = {};
  for (const [id, node] of Object.entries(prompt ?? {})) {
    const cls = (node as { class_type?: unknown })?.class_type;
    if (typeof cls === "string") out[id] = cls;
  }
  // UI format: nodes[] with id and type
  for (const n of Array.isArray(w?.nodes) ? (w.nodes as { id?: unknown; type?: unknown }[]) : []) if (typeof n?.type === "string") out[String(n.id)] = n.type;
  return out;
}

/** workflow_invalid lists the nodes at fault by id; add each one's class so an agent can find it. */
function withNodeClasses(err: unknown, workflow: unknown): unknown {
  if (!(err instanceof ApiError) || !Array.isArray(err.details?.nodes)) return err;
  const classes = nodeClasses(workflow);
  const nodes = (err.details.nodes as { nodeId?: string }[]).map((n) => ({ ...n, classType: (n.nodeId && classes[n.nodeId]) ?? null }));
  return new ApiError(err.code, err.message, { ...err.details, nodes });
}

export const importWorkflowTool = defineTool({
  name: "import_workflow",
  permission: "workflows:write",
  title: "Import a workflow",
  description:
    "Upload a ComfyUI workflow: `workflow` as JSON (API format, or the UI's nodes+links), or `url` of a file to fetch — an exported JSON or an output image (PNG/WebP) with its workflow embedded. Same name = a new version of that workflow; identical content = the existing version. Returns the version id and its analysis (models, custom nodes, suggested slots); invalid workflows come back with the node ids and classes at fault.",
  input: ImportWorkflowInput.pick({ name: true, workflowId: true }).extend({
    workflow: z.record(z.string(), z.unknown()).optional().describe("The exported workflow JSON"),
    url: z.string().url().max(2048).optional().describe("http(s) URL of a workflow JSON or a PNG/WebP with an embedded workflow"),
  }),
  output: ImportResult,
  annotations: { destructiveHint: false, openWorldHint: true },
  allowUnsafeIntegers: true,
  async run(args, env) {
    if ((args.workflow === undefined) === (args.url === undefined)) throw new ApiError("bad_request", 'Give exactly one of "workflow" (JSON) or "url".', { fields: ["workflow", "url"] });
    const base = { ...(args.name ? { name: args.name } : {}), ...(args.workflowId ? { workflowId: args.workflowId } : {}) };
    const result = args.url
      ? await importWorkflow({ ctx: env.ctx, input: { ...base, ...(await fetchWorkflowBytes(args.url)) } })
      : await importWorkflow({ ctx: env.ctx, input: { ...base, workflow: args.workflow } }).catch((err) => {
          throw withNodeClasses(err, args.workflow);
        });
    const r = importResponse(result);
    return ok(r as unknown as Record<string, unknown>, `${result.created ? "Imported" : "Already stored:"} workflow ${r.id} version ${r.version.number} (version id ${r.version.id}). Next: suggest_slots, then create_deployment.`);
  },
});

export const WORKFLOW_TOOLS = [importWorkflowTool];
