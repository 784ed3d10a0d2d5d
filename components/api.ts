// Typed client for Flowgate's public JSON API (shared/API.md), used by the dashboard with the
// session cookie. Every non-2xx answer becomes an ApiError carrying the contract's error code.

export type Role = "admin" | "engineer" | "oncall" | "viewer";

// Every response type below is the server's (inferred from the zod schemas in lib/runs/schemas.ts and
// lib/api/responses.ts, or the workflow library's own types), so the UI and the API cannot drift.
import type { RunStatus } from "@/lib/runs/schemas";
import type { ApiErrorCode } from "@/lib/errors";
import { TERMINAL } from "@/lib/runs/status";
export type { Slot, SlotType } from "@/lib/comfy-graph/slots";

export type { Analysis } from "@/lib/comfy-graph/analyze";

/** API-format graph: node id → { class_type, inputs } where a link is [fromNodeId, outputIndex]. */
export type { ApiPrompt } from "@/lib/comfy-graph/types";

/** Workflows and versions: the server's schemas (lib/api/responses.ts), inferred. A version read on
 * its own (GET …/versions/{n}) adds `workflowId`, `original` and `prompt` (WorkflowVersionDetail). */
export type { Workflow, ImportWorkflowResult as UploadResult, WorkflowVersionDetail } from "@/lib/api/responses";
import type { WorkflowVersion as WorkflowVersionSummary, WorkflowVersionDetail } from "@/lib/api/responses";
export type WorkflowVersion = WorkflowVersionSummary & Partial<Pick<WorkflowVersionDetail, "original" | "prompt">>;

export type Provider = "comfyui" | "runpod" | "runcomfy" | (string & {});

/** Endpoint (with its last stored check as `health`) and a health answer: the server's schemas (lib/api/responses.ts), inferred. */
export type { Endpoint, EndpointHealthReport } from "@/lib/api/responses";
import type { EndpointHealth as StoredHealth, EndpointHealthReport } from "@/lib/api/responses";
export type EndpointHealth = StoredHealth | EndpointHealthReport;

export type { Deployment } from "@/lib/api/responses";
import type { Deployment, DisableEndpointResult } from "@/lib/api/responses";
export type Target = Deployment["targets"][number];

// The Run shape is the server's one zod schema (lib/runs/schemas.ts), inferred: no hand copy to drift.
export type { Run, RunAttempt, RunOutput, RunStatus } from "@/lib/runs/schemas";

export const TERMINAL_STATUSES: RunStatus[] = [...TERMINAL];

/** POST /api/v1/endpoints/{id}/disable(?dryRun=true): the deployments draining leaves with no enabled target. */
export type DrainImpact = Pick<DisableEndpointResult, "warning" | "details">;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** GET /api/v1/workflows/{id}/versions/{n}/requirements (also POST /api/v1/requirements) */
export type { RequirementsOutput as Requirements, CostPreviewOutput as CostPreview } from "@/lib/provision/get-requirements.types";
export type { CreateRunpodEndpointInput, CreateRunpodEndpointResult } from "@/lib/provision/create-runpod-endpoint.types";

/** GET /api/v1/workflows/{id}/versions/{n}/diff */
export type { VersionDiff } from "@/lib/api/responses";

/** POST /api/v1/workflows/{id}/versions/{n}/preflight */
export type { VersionPreflight as PreflightResult } from "@/lib/deployments/preflight-version";

export interface IncompatibleEndpoint {
  endpointId: string;
  missingNodes?: string[];
  missingModels?: { nodeId: string; input: string; name: string }[];
  error?: string;
}

/** Codes only the client produces: no answer at all, or an answer without the contract's error body. */
export type ClientErrorCode = "network_error" | `http_${number}`;

/** Error answered by the API, with the stable machine-readable code from the contract (lib/errors.ts). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | ClientErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ApiErrorCode | ClientErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: fall through to a message from the status
  }
  const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  if (err && typeof err === "object") {
    return new ApiError(res.status, (err.code as ApiErrorCode | undefined) ?? `http_${res.status}`, err.message ?? res.statusText, err.details);
  }
  const fallback: Record<number, string> = {
    401: "Your session has expired. Sign in again.",
    403: "Your role does not allow this action.",
    404: "Not found.",
    413: "The file is too large.",
    429: "Too many requests. Wait a moment and try again.",
    502: "The server could not be reached.",
    503: "A service Flowgate depends on is down.",
  };
  return new ApiError(res.status, `http_${res.status}`, fallback[res.status] ?? `Request failed (${res.status} ${res.statusText}).`);
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: "same-origin",
      ...rest,
      headers: {
        Accept: "application/json",
        ...(json !== undefined ? { "Content-Type": "application/json" } : {}),
        ...headers,
      },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch {
    throw new ApiError(0, "network_error", "Could not reach the Flowgate server. Check that it is running and try again.");
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** What the user should do next for a given error code (shown under the API's own message). */
export function nextStep(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  switch (error.code) {
    case "unauthorized":
    case "http_401":
      return "Sign in again, then retry.";
    case "forbidden":
    case "http_403":
      return "Ask an admin for the engineer role to make changes.";
    case "network_error":
      return null;
    case "workflow_invalid":
    case "workflow_unconvertible":
    case "workflow_empty":
      return "Export the workflow again from ComfyUI (Save (API) or the regular .json) and upload that file.";
    case "endpoint_incompatible":
      return "Install the missing nodes or models on those endpoints, or pick other endpoints.";
    case "validation_failed":
    case "input_invalid":
    case "slot_invalid":
      return "Fix the highlighted value and submit again.";
    case "rate_limited":
      return "Wait a moment, then try again.";
    case "not_found":
      return "It may have been deleted. Go back to the list.";
    default:
      if (error.status >= 500) return "Try again shortly; if it keeps failing, check the server logs.";
      return null;
  }
}

export const qs = (params: Record<string, string | number | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};
