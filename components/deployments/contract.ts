// The caller's view of a deployment: JSON Schema of inputs, an example body, and snippets
// (generated in lib/deployments/snippets.ts, the one place they are written).
import type { Deployment, Slot } from "../api";
import { slotsJsonSchema } from "@/lib/comfy-graph/slots";
import { deploymentSnippets, mcpSnippets } from "@/lib/deployments/snippets";

export { exampleInputs } from "@/lib/deployments/snippets";

/** The deployment's input schema: the server's (same code the API validates with), or built locally. */
export function slotSchema(slots: Slot[]): Record<string, unknown> {
  return slotsJsonSchema(slots);
}

export function snippets(d: Deployment, origin: string) {
  return { ...deploymentSnippets({ slug: d.slug, name: d.name, slots: d.slots ?? [] }, origin), mcp: mcpSnippets(origin) };
}
