// The one error type of the public API: a stable machine-readable code, an HTTP status and a
// sentence a person can act on. Everything the API returns as an error goes through here.

export type ApiErrorCode =
  | "bad_request"
  | "invalid_json"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "csrf_rejected"
  | "not_found"
  | "conflict"
  | "slug_taken"
  | "idempotency_conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "workflow_invalid"
  | "workflow_not_json"
  | "workflow_too_large"
  | "workflow_unconvertible"
  | "image_no_workflow"
  | "image_corrupt"
  | "endpoint_incompatible"
  | "endpoint_unreachable"
  | "slot_invalid"
  | "input_invalid"
  | "input_too_large"
  | "url_not_allowed"
  | "run_not_cancelable"
  | "run_not_retryable"
  | "deployment_paused"
  | "deployment_deleted"
  | "not_supported"
  | "rate_limited"
  | "dependency_down"
  | "internal_error"
  // Bad input refused at the edge (lib/api/input.ts, lib/api/db-errors.ts).
  | "invalid_text"
  | "number_out_of_range"
  | "json_too_deep"
  | "invalid_value"
  | "database_unavailable";

const STATUS: Record<ApiErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  csrf_rejected: 403,
  not_found: 404,
  conflict: 409,
  slug_taken: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  workflow_invalid: 422,
  workflow_not_json: 400,
  workflow_too_large: 413,
  workflow_unconvertible: 422,
  image_no_workflow: 422,
  image_corrupt: 422,
  endpoint_incompatible: 422,
  endpoint_unreachable: 503,
  slot_invalid: 422,
  input_invalid: 422,
  input_too_large: 413,
  url_not_allowed: 422,
  run_not_cancelable: 409,
  run_not_retryable: 409,
  deployment_paused: 409,
  deployment_deleted: 410,
  not_supported: 422,
  rate_limited: 429,
  dependency_down: 503,
  internal_error: 500,
  invalid_text: 400,
  number_out_of_range: 400,
  json_too_deep: 400,
  invalid_value: 400,
  database_unavailable: 503,
};

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;
  constructor(code: ApiErrorCode, message: string, details?: Record<string, unknown>, status?: number) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status ?? STATUS[code];
    this.details = details;
  }
  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const notFound = (what: string, id: string) => new ApiError("not_found", `${what} ${JSON.stringify(id)} does not exist.`);
