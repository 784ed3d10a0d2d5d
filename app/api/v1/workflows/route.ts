import { withApi, json, readJson } from "@/lib/api/with-api";
import { checkJsonValue, LIMITS, readBodyBytes } from "@/lib/api/input";
import { ApiError } from "@/lib/errors";
import { listWorkflows } from "@/lib/workflows/list-workflows";
import { listWorkflowsQuery } from "@/lib/workflows/list-workflows.types";
import { importResponse, importWorkflow } from "@/lib/workflows/import-workflow";
import { ImportWorkflowInput } from "@/lib/workflows/import-workflow.types";
import { serializeWorkflow } from "@/lib/workflows/serialize";

const MAX_UPLOAD = LIMITS.workflowUploadBytes;

// POST /api/v1/workflows – upload a workflow (JSON body or multipart "file"): new workflow or new version
export const POST = withApi({ permission: "workflows:write" }, async ({ req, ctx }) => {
  const type = req.headers.get("content-type") ?? "";
  let result;
  if (type.startsWith("multipart/form-data")) {
    // Read at most the limit (whatever Content-Length claims), then parse the form from those bytes.
    const bytes = await readBodyBytes(req, MAX_UPLOAD + 1024 * 1024).catch((e) => {
      if (e instanceof ApiError && e.code === "payload_too_large") {
        throw new ApiError("workflow_too_large", `The upload is larger than the ${MAX_UPLOAD / 1024 / 1024} MB limit.`, { maxBytes: MAX_UPLOAD });
      }
      throw e;
    });
    const form = await new Response(bytes, { headers: { "content-type": type } }).formData().catch(() => {
      throw new ApiError("bad_request", "The multipart body could not be read.");
    });
    const file = form.get("file");
    if (!(file instanceof File)) throw new ApiError("bad_request", 'Attach the exported workflow (JSON, PNG or WebP) as the "file" field.');
    if (file.size > MAX_UPLOAD) throw new ApiError("workflow_too_large", `The file is ${file.size} bytes; the limit is ${MAX_UPLOAD}.`);
    let objectInfo: unknown;
    const oi = form.get("objectInfo");
    if (oi) {
      try {
        objectInfo = JSON.parse(oi instanceof File ? await oi.text() : String(oi));
      } catch {
        throw new ApiError("invalid_json", 'The "objectInfo" field is not valid JSON.');
      }
      checkJsonValue(objectInfo, { root: "objectInfo", allowUnsafeIntegers: true });
    }
    const fields = ImportWorkflowInput.parse({
      name: form.get("name") || undefined,
      workflowId: form.get("workflowId") || undefined,
      objectInfo,
      filename: file.name,
    });
    result = await importWorkflow({ ctx, input: { ...fields, workflow: undefined, bytes: Buffer.from(await file.arrayBuffer()) } });
  } else {
    // ComfyUI seeds go up to 2^64: workflows keep integers past JavaScript's safe range as they are.
    const body = ImportWorkflowInput.parse(await readJson(req, MAX_UPLOAD, { allowUnsafeIntegers: true, root: "body" }));
    result = await importWorkflow({ ctx, input: body });
  }
  return json(importResponse(result), result.created ? 201 : 200);
});

// GET /api/v1/workflows – list workflows, newest first
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  return json(await listWorkflows({ ctx, input: listWorkflowsQuery(new URL(req.url)) }));
});
