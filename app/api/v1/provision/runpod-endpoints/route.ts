import { withApi, json, readJson } from "@/lib/api/with-api";
import { createRunpodEndpoint } from "@/lib/provision/create-runpod-endpoint";
import { CreateRunpodEndpointInput } from "@/lib/provision/create-runpod-endpoint.types";

// POST /api/v1/provision/runpod-endpoints – create a RunPod serverless template + endpoint with the
// user's key, register it in Flowgate, wait for its workers, then health, pre-flight and a test run; each step's result
export const POST = withApi({ permission: "endpoints:write" }, async ({ req, ctx }) => {
  const r = await createRunpodEndpoint({ ctx, input: CreateRunpodEndpointInput.parse(await readJson(req)) });
  return json(r, r.ok ? 201 : 200);
});
