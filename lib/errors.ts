// The one error type of the public API: a stable machine-readable code, an HTTP status and a
// sentence a person can act on. Everything the API returns as an error goes through here.

import { z } from "zod";

// The error codes by status class: a code's HTTP status is the class it is listed under, never a
// per-name special case. This is the one list: the OpenAPI document's `code` enum, the dashboard's
// `nextStep` switch and `WorkflowError`'s codes (lib/comfy-graph/errors.ts) are all checked against it.
export const ERROR_CODES_BY_STATUS = {
  400: [
    "bad_request",
    "invalid_json",
    "validation_failed",
    "workflow_not_json",
    // Bad input refused at the edge (lib/api/input.ts, lib/api/db-errors.ts).
    "invalid_text",
    "number_out_of_range",
    "json_too_deep",
    "invalid_value",
  ],
  401: ["unauthorized", "api_key_expired", "api_key_revoked"],
  402: ["budget_exceeded"],
  403: ["forbidden", "csrf_rejected", "deployment_not_allowed"],
  404: ["not_found"],
  409: ["conflict", "slug_taken", "idempotency_conflict", "run_not_cancelable", "run_not_retryable", "deployment_paused"],
  410: ["deployment_deleted"],
  413: ["payload_too_large", "workflow_too_large", "input_too_large"],
  415: ["unsupported_media_type"],
  422: [
    "workflow_invalid",
    "workflow_unconvertible",
    "workflow_too_deep",
    "workflow_empty",
    "image_no_workflow",
    "image_corrupt",
    "object_info_invalid",
    "endpoint_incompatible",
    "slot_invalid",
    "input_invalid",
    "url_not_allowed",
    "not_supported",
  ],
  429: ["rate_limited"],
  500: ["internal_error"],
  503: ["endpoint_unreachable", "dependency_down", "database_unavailable", "provider_response_invalid"],
} as const;

type ByStatus = typeof ERROR_CODES_BY_STATUS;
export type ApiErrorCode = ByStatus[keyof ByStatus][number];
export type ErrorStatus = keyof ByStatus;

export const API_ERROR_CODES = Object.values(ERROR_CODES_BY_STATUS).flat() as ApiErrorCode[];
export const ERROR_STATUSES = Object.keys(ERROR_CODES_BY_STATUS).map(Number) as ErrorStatus[];
export const ApiErrorCodeSchema = z.enum(API_ERROR_CODES as [ApiErrorCode, ...ApiErrorCode[]]);

const STATUS = Object.fromEntries(
  Object.entries(ERROR_CODES_BY_STATUS).flatMap(([status, codes]) => codes.map((c) => [c, Number(status)])),
) as Record<ApiErrorCode, number>;

export const isApiErrorCode = (code: unknown): code is ApiErrorCode => typeof code === "string" && Object.hasOwn(STATUS, code);

/** The HTTP status of an error code (its class in ERROR_CODES_BY_STATUS); unknown codes are 422. */
export const statusOfCode = (code: string): number => (isApiErrorCode(code) ? STATUS[code] : 422);

/** API.md's error body: {"error":{"code","message","details"?}}. */
export const ErrorBodySchema = z
  .object({
    error: z.object({ code: ApiErrorCodeSchema, message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
  });

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
