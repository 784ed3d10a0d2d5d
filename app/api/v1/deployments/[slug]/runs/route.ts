import { withApi, json, readJson } from "@/lib/api/with-api";
import { LIMITS } from "@/lib/api/input";
import { createRun } from "@/lib/runs/create-run";
import { getRun, waitForRun } from "@/lib/runs/get-run";
import { isTerminal } from "@/lib/runs/status";

// POST /api/v1/deployments/{slug}/runs – start a run (202), or wait up to `wait` s for it (200 when done)
export const POST = withApi<{ slug: string }>({ permission: "runs:write" }, async ({ req, ctx, params }) => {
  const body = await readJson(req, LIMITS.runBodyBytes);
  const r = await createRun({ ctx, input: { slug: params.slug, body, idempotencyKey: req.headers.get("idempotency-key") } });
  const run = r.wait ? await waitForRun(r.runId, r.wait) : await getRun(r.runId);
  return json(run, r.wait && isTerminal(run.status) ? 200 : 202, { Location: `/api/v1/runs/${run.id}` });
});
