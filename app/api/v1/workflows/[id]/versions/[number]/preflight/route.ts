import { withApi, json, readJson } from "@/lib/api/with-api";
import { ApiError } from "@/lib/errors";
import { PreflightVersionInput, preflightVersion } from "@/lib/deployments/preflight-version";
import { mayProbe } from "@/lib/endpoints/health";

// POST /api/v1/workflows/{id}/versions/{number}/preflight – can this endpoint run the version? (by node)
export const POST = withApi<{ id: string; number: string }>({ permission: "read" }, async ({ req, actor, params }) => {
  const number = Number(params.number);
  if (!Number.isInteger(number) || number < 1) throw new ApiError("bad_request", "The version number must be a positive integer.");
  const input = PreflightVersionInput.parse(await readJson(req));
  // Viewers get the check against the cached node definitions only (no outbound call, no write).
  return json(await preflightVersion({ workflowId: params.id, number }, input, { probe: mayProbe(actor) }));
});
