// The one error type of the workflow library: a stable machine-readable code plus details,
// mapped by the API layer onto `{"error":{"code","message","details"}}`. Every code is a member of
// the API's error-code enum (lib/errors.ts), which gives it its HTTP status.
import type { ApiErrorCode } from "@/lib/errors";

export type WorkflowErrorCode =
  | "workflow_not_json"
  | "workflow_invalid"
  | "workflow_too_large"
  | "workflow_too_deep"
  | "workflow_empty"
  | "workflow_unconvertible"
  | "image_no_workflow"
  | "image_corrupt"
  | "object_info_invalid";

// Compile-time: a code added here and not to lib/errors.ts's enum fails the typecheck.
const _everyCodeIsAnApiCode: WorkflowErrorCode extends ApiErrorCode ? true : never = true;
void _everyCodeIsAnApiCode;

export class WorkflowError extends Error {
  readonly code: WorkflowErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: WorkflowErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "WorkflowError";
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isWorkflowError(e: unknown): e is WorkflowError {
  return e instanceof WorkflowError;
}
