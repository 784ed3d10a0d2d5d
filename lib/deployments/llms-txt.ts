// The agent guide served at /llms.txt (llmstxt.org style): how to authenticate, the API flow, the MCP
// tools, and the rules an agent needs (async runs, outputs as links, errors to act on). Public: it
// holds no data, only how to use this Flowgate.
import { SCOPES, SCOPE_DESCRIPTIONS } from "@/lib/auth/scopes";

export const MCP_TOOLS: { name: string; scope: string; does: string }[] = [
  { name: "list_deployments", scope: "read", does: "deployments you can run, with their slugs" },
  { name: "describe_deployment", scope: "read", does: "a deployment's slots as JSON Schema, an example call, cost per run and p95 when known" },
  { name: "run_deployment", scope: "run", does: "start a run: {deployment, inputs, wait?}; returns the run id and its true status (waits at most ~45 s)" },
  { name: "get_run", scope: "read", does: "a run's status, progress, error and output links" },
  { name: "wait_for_run", scope: "read", does: "wait (bounded) for a run to end; call again if it is still running" },
  { name: "cancel_run", scope: "run", does: "cancel a run (at the provider too)" },
  { name: "retry_run", scope: "run", does: "retry a failed, canceled or timed-out run as a new run" },
  { name: "list_runs", scope: "read", does: "recent runs, filtered by deployment and status" },
  { name: "run_batch", scope: "run", does: "many input sets in one call, one run id each" },
  { name: "endpoint_health", scope: "read", does: "health of the GPU endpoints behind the deployments" },
  { name: "import_workflow", scope: "deploy", does: "upload a ComfyUI workflow (JSON, or a URL to an output image with an embedded workflow)" },
  { name: "suggest_slots", scope: "deploy", does: "the inputs worth exposing as slots for a workflow version" },
  { name: "create_deployment", scope: "deploy", does: "expose a workflow version as a deployment with slots and target endpoints" },
  { name: "preflight", scope: "read", does: "can an endpoint run a workflow version: missing nodes and models" },
  { name: "restart_endpoint", scope: "operate", does: "restart an endpoint (on-call)" },
  { name: "disable_endpoint", scope: "operate", does: "drain an endpoint: no new runs go there" },
  { name: "enable_endpoint", scope: "operate", does: "put a drained endpoint back in service" },
];

export function llmsTxt(originIn: string): string {
  const o = originIn.replace(/\/+$/, "");
  return `# Flowgate

> Flowgate turns ComfyUI workflows into versioned HTTP APIs ("deployments") that run on GPU endpoints
> (self-hosted ComfyUI, RunPod, RunComfy) with retries, failover across providers, webhooks and cost
> tracking. Drive it over a JSON HTTP API, over MCP, or with the \`flowgate\` CLI.

## Authentication

- Send \`Authorization: Bearer <api key>\`. Keys look like \`fg_<prefix>_<secret>\`; a person creates them on
  ${o}/keys or with \`flowgate keys create --name NAME --scopes read,run\`.
- A key has scopes:
${SCOPES.map((s) => `  - \`${s}\`: ${SCOPE_DESCRIPTIONS[s]}`).join("\n")}
- A \`run\` key may be limited to listed deployments (403 \`deployment_not_allowed\` on others). Keys may expire
  (401 \`api_key_expired\`) or be revoked (401 \`api_key_revoked\`). Too many requests: 429 with \`Retry-After\`
  (seconds): wait that long, then retry.

## MCP (for agents)

- Endpoint: ${o}/api/mcp — Streamable HTTP, stateless; same bearer key. You see only the tools your key's
  scopes allow.
- Tools (scope needed):
${MCP_TOOLS.map((t) => `  - \`${t.name}\` (${t.scope}): ${t.does}`).join("\n")}
- Runs are asynchronous: \`run_deployment\` with \`wait\` returns within ~45 s with the run id and its real
  status; if it is not finished, call \`wait_for_run\` with the id. Outputs come as links (resource_link with
  content type and size; signed URLs that work without the header), not inline bytes.
- Every deployment is also an MCP resource: read it for its slots and description before running it.

## HTTP API flow

1. \`GET ${o}/api/v1/deployments\` — what can be run (slug, slots).
2. \`GET ${o}/api/v1/deployments/{slug}\` — the slots; \`GET ${o}/api/v1/deployments/{slug}/openapi.json\` —
   the deployment as an OpenAPI document with its inputs as the request schema.
3. \`POST ${o}/api/v1/deployments/{slug}/runs\` with \`{"inputs": {...}, "wait"?: 0..60, "webhook"?: "https://…"}\`
   (optional header \`Idempotency-Key\`) → 202 Run (200 when it ended within \`wait\`). Image slots take a data
   URI, base64 or an http(s) URL.
4. \`GET ${o}/api/v1/runs/{id}\` until \`status\` is succeeded, failed, canceled or timed_out
   (or stream \`GET ${o}/api/v1/runs/{id}/events\`, text/event-stream).
5. \`GET ${o}{output.url}\` for each of \`run.outputs\` — the file bytes.
- Cancel: \`POST /api/v1/runs/{id}/cancel\`; retry: \`POST /api/v1/runs/{id}/retry\`; list: \`GET /api/v1/runs?deployment=&status=\`.
- Build: \`POST /api/v1/workflows\` (upload), \`POST /api/v1/deployments\` (deploy), \`POST /api/v1/endpoints\` (register a GPU endpoint).
- The whole API: ${o}/api/v1/openapi.json (OpenAPI 3.1; generate a typed client from it).

## Errors

Every error is \`{"error": {"code", "message", "details"}}\` with a stable \`code\`. 400 malformed, 401 no/bad
key, 403 scope or deployment not allowed, 404, 409 conflict (e.g. run not cancelable), 410 deployment deleted,
422 refused input — \`details\` names the slot and the rule (\`input_invalid\`), or the node id and class for
workflow errors — 429 rate limited, 503 a dependency is down. A run that failed has \`error.code\`,
\`error.message\` and, for workflow errors, \`error.nodeId\`.

## CLI

\`npx flowgate login --url ${o}\`, then \`flowgate deployments\`, \`flowgate run SLUG --input k=v --wait --out ./outputs\`
(exit code 1 when the run fails), \`flowgate runs --status failed\`, \`flowgate keys list\`.
`;
}
