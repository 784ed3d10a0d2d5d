import { withApi, json, readJson } from "@/lib/api/with-api";
import { resolveRequirement } from "@/lib/provision/resolve-requirement";
import { ResolveRequirementInput } from "@/lib/provision/get-requirements.types";

// POST /api/v1/provision/resolutions – remember a class's pack (git URL) or a model file's download URL
export const POST = withApi({ permission: "workflows:write" }, async ({ req, ctx }) => {
  return json(await resolveRequirement({ ctx, input: ResolveRequirementInput.parse(await readJson(req)) }));
});
