// Pre-flight of one workflow version against one endpoint, for the graph page: the same check a
// deployment runs before it is created (node classes, model files), plus ComfyUI's own
// validation, reported by node so the editor can mark the nodes themselves.
import { z } from "zod";
import { db } from "@/lib/db";
import { ApiError, notFound } from "@/lib/errors";
import { cachedObjectInfo, endpointObjectInfo } from "@/lib/endpoints/health";
import { getProvider } from "@/lib/providers/registry";
import { checkCompatibility, type ApiPrompt, type ObjectInfo } from "@/lib/comfy-graph";

export const PreflightVersionInput = z.strictObject({ endpointId: z.string().min(1) });

export interface VersionPreflight {
  endpointId: string;
  endpointName: string;
  /** false when the provider exposes no node definitions (checked at run time instead) */
  checked: boolean;
  ok: boolean;
  missingNodes: string[];
  missingModels: { nodeId: string; input: string; name: string }[];
  nodeErrors: { nodeId: string; classType: string; message: string; input?: string }[];
}

/**
 * `probe: false` (a viewer): only the node definitions already cached are used — a read by a viewer
 * never makes Flowgate call the endpoint or write the cache.
 */
export async function preflightVersion(ref: { workflowId: string; number: number }, input: z.infer<typeof PreflightVersionInput>, opts: { probe?: boolean } = {}): Promise<VersionPreflight> {
  const [version, endpoint] = await Promise.all([
    db().workflowVersion.findUnique({ where: { workflowId_number: { workflowId: ref.workflowId, number: ref.number } } }),
    db().endpoint.findUnique({ where: { id: input.endpointId } }),
  ]);
  if (!version) throw new ApiError("not_found", `Workflow ${ref.workflowId} has no version ${ref.number}.`);
  if (!endpoint) throw notFound("Endpoint", input.endpointId);
  let info: Record<string, unknown> | null;
  if (opts.probe === false) {
    info = await cachedObjectInfo(endpoint.id);
    if (!info && getProvider(endpoint.provider).nodeDefinitions) {
      throw new ApiError(
        "forbidden",
        `No node definitions of "${endpoint.name}" are cached yet, and fetching them calls the endpoint, which your role cannot make Flowgate do. Ask an operator to run a pre-flight (or a deploy) against it once.`,
        { endpointId: endpoint.id, reason: "probe_not_allowed" },
      );
    }
  } else try {
    info = await endpointObjectInfo(endpoint);
  } catch (err) {
    info = await cachedObjectInfo(endpoint.id);
    if (!info)
      throw new ApiError(
        "endpoint_unreachable",
        `Could not read node definitions from "${endpoint.name}": ${err instanceof Error ? err.message : String(err)}. Check the endpoint is up ("Test connection").`,
        { endpointId: endpoint.id },
      );
  }
  const base = { endpointId: endpoint.id, endpointName: endpoint.name };
  if (!info) return { ...base, checked: false, ok: true, missingNodes: [], missingModels: [], nodeErrors: [] };

  const prompt = version.prompt as unknown as ApiPrompt;
  const c = checkCompatibility(prompt, info as ObjectInfo);
  const modelKeys = new Set(c.missingModels.map((m) => `${m.nodeId}.${m.input}`));
  const nodeErrors: VersionPreflight["nodeErrors"] = [];
  for (const [nodeId, e] of Object.entries(c.errors.node_errors)) {
    // missing classes and model files are reported on their own, in plainer words
    if (c.missingNodes.includes(e.class_type)) continue;
    for (const err of e.errors) {
      const inputName = typeof err.extra_info?.input_name === "string" ? err.extra_info.input_name : undefined;
      if (inputName && modelKeys.has(`${nodeId}.${inputName}`)) continue;
      nodeErrors.push({ nodeId, classType: e.class_type, message: err.details ? `${err.message}: ${err.details}` : err.message, input: inputName });
    }
  }
  return {
    ...base,
    checked: true,
    ok: !c.missingNodes.length && !c.missingModels.length && !nodeErrors.length,
    missingNodes: c.missingNodes,
    missingModels: c.missingModels,
    nodeErrors,
  };
}
