// Endpoint tools: health for anyone who may read; restart, drain (disable) and enable for keys that
// may operate endpoints. Thin adapters over lib/endpoints (each action audited there).
import { z } from "zod";
import { endpointHealthFor } from "@/lib/endpoints/health";
import { listEndpoints } from "@/lib/endpoints/list-endpoints";
import { operateEndpoint } from "@/lib/endpoints/operate-endpoint";
import { setEndpointDisabled } from "@/lib/endpoints/set-endpoint-disabled";
import { serializeEndpoint } from "@/lib/endpoints/serialize";
import { EndpointHealthReportSchema } from "@/lib/api/responses";
import { defineTool } from "../tool";
import { ok } from "../results";

const EndpointId = z.string().min(1).max(100).describe('The endpoint id ("ep_…"; endpoint_health without one lists them)');

export const endpointHealthTool = defineTool({
  name: "endpoint_health",
  permission: "read",
  title: "Endpoint health",
  description:
    "Without endpointId: every endpoint (provider, GPU, price, disabled) with its last health check. With endpointId: its health — checked now when the key may operate endpoints, else the last stored check (`fresh` says which).",
  input: z.object({ endpointId: EndpointId.optional() }),
  output: z.object({
    endpoints: z.array(
      z.object({ id: z.string(), name: z.string(), provider: z.string(), gpu: z.string().nullable(), pricePerHourUsd: z.number().nullable(), disabled: z.boolean(), health: z.unknown() }),
    ),
    health: EndpointHealthReportSchema.extend({ checkedAt: z.string().nullable() }).optional(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run(args, env) {
    if (args.endpointId) {
      const health = await endpointHealthFor(env.ctx.actor, args.endpointId);
      const state = health.ok === null ? "not checked yet" : health.ok ? "healthy" : `unhealthy${health.message ? `: ${health.message}` : ""}`;
      return ok({ endpoints: [], health }, `Endpoint ${args.endpointId}: ${state}${health.fresh ? " (checked now)" : health.checkedAt ? ` (as of ${health.checkedAt})` : ""}.`);
    }
    const page = await listEndpoints({ ctx: env.ctx, input: { limit: 200 } });
    const endpoints = page.items.map((e) => ({ id: e.id, name: e.name, provider: e.provider, gpu: e.gpu, pricePerHourUsd: e.pricePerHourUsd, disabled: e.disabled, health: e.health }));
    return ok({ endpoints }, `${endpoints.length} endpoint(s).`);
  },
});

export const restartEndpointTool = defineTool({
  name: "restart_endpoint",
  permission: "endpoints:operate",
  title: "Restart an endpoint",
  description: "Restart the endpoint's workers at the provider (audited). Runs in flight there are retried elsewhere. Answers endpoint_unreachable with the provider's message when it fails.",
  input: z.object({ endpointId: EndpointId }),
  output: z.looseObject({ endpointId: z.string(), action: z.literal("restart"), message: z.string() }),
  annotations: { destructiveHint: true, openWorldHint: true },
  async run(args, env) {
    const r = await operateEndpoint({ ctx: env.ctx, input: { id: args.endpointId, action: "restart" } });
    return ok({ endpointId: args.endpointId, action: "restart" as const, ...r }, `Restart of ${args.endpointId}: ${r.message}`);
  },
});

function disableTool(disabled: boolean) {
  return defineTool({
    name: disabled ? "disable_endpoint" : "enable_endpoint",
    permission: "endpoints:operate",
    title: disabled ? "Disable (drain) an endpoint" : "Enable an endpoint",
    description: disabled
      ? "Stop sending new runs to this endpoint (audited); runs on it finish. The answer names deployments left with no enabled target."
      : "Send runs to this endpoint again (audited).",
    input: z.object({ endpointId: EndpointId }),
    output: z.object({ id: z.string(), name: z.string(), disabled: z.boolean(), warning: z.string().nullable(), deploymentsWithoutTarget: z.array(z.unknown()) }),
    annotations: { destructiveHint: disabled, idempotentHint: true },
    async run(args, env) {
      const ep = await setEndpointDisabled({ ctx: env.ctx, input: { id: args.endpointId, disabled } });
      const s = serializeEndpoint(ep);
      const warning = ep.impact?.warning ?? null;
      return ok(
        { id: s.id, name: s.name, disabled: s.disabled, warning, deploymentsWithoutTarget: ep.impact?.deploymentsWithoutTarget ?? [] },
        `Endpoint "${s.name}" is now ${s.disabled ? "disabled" : "enabled"}.${warning ? ` ${warning}` : ""}`,
      );
    },
  });
}

export const ENDPOINT_TOOLS = [endpointHealthTool, restartEndpointTool, disableTool(true), disableTool(false)];
