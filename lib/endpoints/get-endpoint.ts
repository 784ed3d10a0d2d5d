// One endpoint with its latest health check (secrets shown only as "set").
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { serializeEndpoint } from "./serialize";
import { latestHealth } from "./list-endpoints";
import { GetEndpointInput } from "./list-endpoints.types";

export async function getEndpoint({ ctx, input }: VerbArgs<GetEndpointInput>) {
  requirePermission(ctx.actor, "read");
  const { id } = GetEndpointInput.parse(input);
  const ep = await dbOf(ctx).endpoint.findUnique({ where: { id }, include: latestHealth });
  if (!ep) throw notFound("Endpoint", id);
  return serializeEndpoint(ep);
}
