import { withApi, json, readJson } from "@/lib/api/with-api";
import { listEndpoints } from "@/lib/endpoints/list-endpoints";
import { listEndpointsQuery } from "@/lib/endpoints/list-endpoints.types";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import type { CreateEndpointInputArg } from "@/lib/endpoints/create-endpoint.types";
import { serializeEndpoint } from "@/lib/endpoints/serialize";

// POST /api/v1/endpoints – register where workflows execute (secret is write-only)
export const POST = withApi({ permission: "endpoints:write" }, async ({ req, ctx }) => {
  // The verb parses the body (400 validation_failed on a bad field).
  const ep = await createEndpoint({ ctx, input: (await readJson(req)) as CreateEndpointInputArg });
  return json(serializeEndpoint(ep), 201);
});

// GET /api/v1/endpoints – list endpoints with their latest health
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  return json(await listEndpoints({ ctx, input: listEndpointsQuery(new URL(req.url)) }));
});
