import { withApi, json } from "@/lib/api/with-api";
import { listEndpointStates } from "@/lib/endpoints/get-endpoint-state";

// GET /api/v1/endpoints/states – every endpoint's on-call state (the board's one definition)
export const GET = withApi({ permission: "read" }, async ({ ctx }) => {
  return json(await listEndpointStates({ ctx, input: {} }));
});
