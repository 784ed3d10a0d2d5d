import { z } from "zod";

/** The JSON body of `POST /api/v1/workflows` (a multipart upload gives the same fields, the file as `bytes`). */
export const ImportWorkflowInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  workflowId: z.string().optional(),
  workflow: z.unknown().optional(),
  objectInfo: z.record(z.string(), z.unknown()).optional(),
  filename: z.string().max(500).optional(),
});
/** importWorkflow's input: the fields above, or the uploaded file's `bytes` instead of `workflow`. */
export type ImportWorkflowInput = z.input<typeof ImportWorkflowInput> & { bytes?: Buffer };
