import { withApi, json, readJson } from "@/lib/api/with-api";
import { updateRunpodScaling } from "@/lib/provision/update-runpod-scaling";
import { UpdateRunpodScalingBody } from "@/lib/provision/update-runpod-scaling.types";

// PATCH /api/v1/provision/runpod-endpoints/{id} – change a RunPod endpoint's scaling knobs (workers
// min/max, idle timeout, FlashBoot, execution timeout) through RunPod's REST API; {id} is the Flowgate endpoint id
export const PATCH = withApi<{ id: string }>({ permission: "endpoints:write" }, async ({ req, ctx, params }) => {
  const body = UpdateRunpodScalingBody.parse(await readJson(req));
  return json(await updateRunpodScaling({ ctx, input: { endpointId: params.id, ...body } }));
});
