import { withApi, json } from "@/lib/api/with-api";
import { MAX_PG_INT } from "@/lib/api/input";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { carryOverSlots, diffPrompts, type ApiPrompt } from "@/lib/workflow";
import { slotFromRow } from "@/lib/deployments/serialize";

// GET /api/v1/workflows/{id}/versions/{number}/diff?against=M – nodes added, removed and changed since
// version M (default number−1), and for each deployment of the workflow which slots carry over
async function version(workflowId: string, number: number) {
  const v = await db().workflowVersion.findUnique({ where: { workflowId_number: { workflowId, number } } });
  if (!v) throw new ApiError("not_found", `Workflow ${workflowId} has no version ${number}.`);
  return v;
}

export const GET = withApi<{ id: string; number: string }>({ permission: "read" }, async ({ req, params }) => {
  const number = Number(params.number);
  const against = Number(new URL(req.url).searchParams.get("against") ?? number - 1);
  if (!Number.isInteger(number) || number < 1 || !Number.isInteger(against) || against < 1 || against > MAX_PG_INT) {
    throw new ApiError("bad_request", "Version numbers are positive integers; compare with ?against=N.");
  }
  const [to, from] = await Promise.all([version(params.id, number), version(params.id, against)]);
  const deployments = await db().deployment.findMany({ where: { workflowId: params.id, deletedAt: null }, include: { slots: { orderBy: { position: "asc" } } } });
  const prompt = to.prompt as unknown as ApiPrompt;
  return json({
    from: from.number,
    to: to.number,
    diff: diffPrompts(from.prompt as unknown as ApiPrompt, prompt),
    deployments: deployments.map((d) => {
      const c = carryOverSlots(d.slots.map(slotFromRow), prompt);
      return { slug: d.slug, currentVersionId: d.workflowVersionId, kept: c.kept.map((s) => s.name), unresolved: c.unresolved.map((u) => ({ slot: u.slot.name, reason: u.reason })) };
    }),
  });
});
