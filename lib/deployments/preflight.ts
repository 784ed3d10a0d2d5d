// Pre-flight: can every target endpoint run this prompt? Node classes and model files are checked
// against each endpoint's node definitions before a single GPU second is spent.
import { ApiError } from "@/lib/errors";
import { checkCompatibility, type ApiPrompt, type ObjectInfo } from "@/lib/comfy-graph";
import { cachedObjectInfo, endpointObjectInfo, type EndpointRow } from "@/lib/endpoints/health";

export interface EndpointIncompatibility {
  endpointId: string;
  endpointName: string;
  missingNodes: string[];
  missingModels: { nodeId: string; input: string; name: string }[];
  message?: string;
}

export async function preflight(prompt: ApiPrompt, endpoints: EndpointRow[]): Promise<{ problems: EndpointIncompatibility[]; unchecked: string[] }> {
  const problems: EndpointIncompatibility[] = [];
  const unchecked: string[] = [];
  for (const ep of endpoints) {
    let info: Record<string, unknown> | null;
    try {
      info = await endpointObjectInfo(ep);
    } catch (err) {
      info = await cachedObjectInfo(ep.id);
      if (!info)
        throw new ApiError(
          "endpoint_unreachable",
          `Could not read node definitions from endpoint "${ep.name}" to check the workflow: ${err instanceof Error ? err.message : String(err)}. Check the endpoint is up ("Test connection") and try again.`,
          { endpointId: ep.id },
        );
    }
    if (!info) {
      unchecked.push(ep.id); // the provider exposes no node definitions (e.g. RunPod): checked at run time
      continue;
    }
    const c = checkCompatibility(prompt, info as ObjectInfo);
    if (c.missingNodes.length || c.missingModels.length) {
      problems.push({ endpointId: ep.id, endpointName: ep.name, missingNodes: c.missingNodes, missingModels: c.missingModels });
    }
  }
  return { problems, unchecked };
}

export function incompatibleError(problems: EndpointIncompatibility[]): ApiError {
  const parts = problems.map((p) => {
    const bits = [];
    if (p.missingNodes.length) bits.push(`missing node types ${p.missingNodes.join(", ")}`);
    if (p.missingModels.length) bits.push(`missing model files ${p.missingModels.map((m) => m.name).join(", ")}`);
    return `"${p.endpointName}": ${bits.join("; ")}`;
  });
  return new ApiError(
    "endpoint_incompatible",
    `The workflow cannot run on ${parts.join(" and ")}. Install the custom nodes / model files on the endpoint, or pick another target.`,
    { endpoints: problems },
  );
}
