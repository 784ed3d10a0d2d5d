// Monthly budgets per deployment (UTC calendar month): spend so far from the hourly rollup, the
// warnings at 80 % and 100 %, and the hard stop createRun applies (402 budget_exceeded naming the
// budget). Reads only the rollup rows of this month (lib/analytics/rollups.ts rollupSource).
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, systemCtx, type Ctx, type VerbArgs } from "@/lib/context";
import { ApiError } from "@/lib/errors";
import { roundUsd } from "@/lib/cost";
import { rollupSource } from "./rollups";

export const monthStart = (now = new Date()) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
const monthName = (d: Date) => d.toISOString().slice(0, 7);

async function spentThisMonth(ctx: Ctx, deploymentIds: string[]): Promise<Map<string, number>> {
  if (!deploymentIds.length) return new Map();
  const args: unknown[] = [deploymentIds];
  const from = monthStart();
  const source = rollupSource(args, from, new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)));
  const rows = await dbOf(ctx).$queryRawUnsafe<{ deploymentId: string; spent: number }[]>(
    `SELECT "deploymentId", sum("costUsd")::float8 AS spent FROM ${source} WHERE "deploymentId" = ANY($1) GROUP BY 1`,
    ...args,
  );
  return new Map(rows.map((r) => [r.deploymentId, roundUsd(r.spent)]));
}

export interface BudgetWarning {
  deploymentId: string;
  slug: string;
  name: string;
  month: string;
  budgetUsd: number;
  spentUsd: number;
  percent: number;
  /** 80: past the warning line; 100: spent. */
  level: 80 | 100;
  hardStop: boolean;
}

/** Deployments at or past 80 % of this month's budget (for banners). */
export async function listBudgetWarnings({ ctx }: VerbArgs<Record<string, never>>): Promise<BudgetWarning[]> {
  requirePermission(ctx.actor, "read");
  const deps = await dbOf(ctx).deployment.findMany({ where: { monthlyBudgetUsd: { not: null }, deletedAt: null }, select: { id: true, slug: true, name: true, monthlyBudgetUsd: true, budgetHardStop: true } });
  const spent = await spentThisMonth(ctx, deps.map((d) => d.id));
  const month = monthName(monthStart());
  return deps
    .map((d) => {
      const budgetUsd = Number(d.monthlyBudgetUsd);
      const spentUsd = spent.get(d.id) ?? 0;
      const percent = budgetUsd > 0 ? (spentUsd / budgetUsd) * 100 : spentUsd > 0 ? Infinity : 0;
      return { deploymentId: d.id, slug: d.slug, name: d.name, month, budgetUsd, spentUsd, percent: Math.round(percent * 10) / 10, level: (percent >= 100 ? 100 : 80) as 80 | 100, hardStop: d.budgetHardStop, over80: percent >= 80 };
    })
    .filter((w) => w.over80)
    .map(({ over80: _o, ...w }) => w);
}

/** createRun's budget check: a deployment with a hard-stop budget that is spent refuses new runs. */
export async function assertWithinBudget(deploymentId: string, ctx: Ctx = systemCtx()): Promise<void> {
  const d = await dbOf(ctx).deployment.findUnique({ where: { id: deploymentId }, select: { slug: true, monthlyBudgetUsd: true, budgetHardStop: true } });
  if (!d || d.monthlyBudgetUsd === null || !d.budgetHardStop) return;
  const budgetUsd = Number(d.monthlyBudgetUsd);
  const spentUsd = (await spentThisMonth(ctx, [deploymentId])).get(deploymentId) ?? 0;
  if (spentUsd < budgetUsd) return;
  const month = monthName(monthStart());
  throw new ApiError(
    "budget_exceeded",
    `Deployment "${d.slug}" has spent $${spentUsd.toFixed(2)} of its $${budgetUsd.toFixed(2)} budget for ${month}, and its budget stops new runs. Raise monthlyBudgetUsd or turn budgetHardStop off (PATCH /api/v1/deployments/${d.slug}).`,
    { budget: `monthly budget of ${d.slug}`, month, budgetUsd, spentUsd },
  );
}
