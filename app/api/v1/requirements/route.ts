import { withApi, json, readJson } from "@/lib/api/with-api";
import { LIMITS } from "@/lib/api/input";
import { analyzeRequirements } from "@/lib/provision/analyze-requirements";
import { AnalyzeRequirementsInput } from "@/lib/provision/get-requirements.types";

// POST /api/v1/requirements – the requirements of a workflow sent in the body (not stored); works
// for UI workflows whose custom nodes have no definitions
export const POST = withApi({ permission: "read" }, async ({ req, ctx }) => {
  return json(await analyzeRequirements({ ctx, input: AnalyzeRequirementsInput.parse(await readJson(req, LIMITS.workflowUploadBytes, { allowUnsafeIntegers: true, root: "body" })) }));
});
