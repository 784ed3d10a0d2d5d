// Cost truth, the comparison: per endpoint per hour, Flowgate's computed spend beside what the
// provider billed (ProviderBill, written by syncProviderBills) and the difference. The computed side
// is summed from the attempts by the hour each attempt started on the provider (startedAt, else when
// it was submitted), not from AnalyticsHourly: the rollup is keyed by the run's creation hour, and a
// run that waited or was retried later is billed by the provider in the hour its worker ran.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { roundUsd } from "@/lib/cost";
import { ApiError } from "@/lib/errors";
import { getProvider } from "@/lib/providers/registry";
import { GetCostTruthInput, MAX_COST_TRUTH_DAYS, type GetCostTruthOutput } from "./get-cost-truth.types";

const HOUR = 3_600_000;
type Bucket = GetCostTruthOutput["endpoints"][number]["buckets"][number];

function compare(computedUsd: number, billed: { billed: number; computedBilled: number } | null) {
  if (!billed) return { computedUsd: roundUsd(computedUsd), billedUsd: null, differenceUsd: null, differencePercent: null };
  const diff = roundUsd(billed.billed - billed.computedBilled);
  return {
    computedUsd: roundUsd(computedUsd),
    billedUsd: roundUsd(billed.billed),
    differenceUsd: diff,
    differencePercent: billed.computedBilled > 0 ? Math.round((diff / billed.computedBilled) * 10_000) / 100 : null,
  };
}

export async function getCostTruth({ ctx, input }: VerbArgs<GetCostTruthInput>): Promise<GetCostTruthOutput> {
  requirePermission(ctx.actor, "read");
  const i = GetCostTruthInput.parse(input ?? {});
  const to = i.to ?? new Date();
  const from = new Date(Math.floor((i.from ?? new Date(to.getTime() - 7 * 24 * HOUR)).getTime() / HOUR) * HOUR);
  if (from >= to) throw new ApiError("validation_failed", "`from` must be before `to`.", { from: from.toISOString(), to: to.toISOString() });
  if (to.getTime() - from.getTime() > MAX_COST_TRUTH_DAYS * 24 * HOUR) throw new ApiError("validation_failed", `The comparison covers at most ${MAX_COST_TRUTH_DAYS} days.`);
  const q = dbOf(ctx);
  const endpoints = await q.endpoint.findMany({
    where: i.endpoint ? { id: i.endpoint } : {},
    select: { id: true, name: true, provider: true, gpu: true, _count: { select: { bills: true } } },
    orderBy: { name: "asc" },
  });
  if (i.endpoint && !endpoints.length) throw new ApiError("not_found", `Endpoint ${JSON.stringify(i.endpoint)} does not exist.`);
  const shown = endpoints.filter((e) => (i.endpoint ? true : e._count.bills > 0 || !!providerBills(e.provider)));
  const ids = shown.map((e) => e.id);
  const [computed, bills, fetched] = await Promise.all([
    // The (endpointId, createdAt) index bounds the scan; an attempt starts at most a day after it is created here.
    q.$queryRawUnsafe<{ endpointId: string; hour: Date; cost: number; attempts: number }[]>(
      `SELECT "endpointId", date_trunc('hour', COALESCE("startedAt", "submittedAt", "createdAt") AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour,
              sum("costUsd")::float8 AS cost, count(*)::int AS attempts
         FROM "RunAttempt"
        WHERE "endpointId" = ANY($1) AND "createdAt" >= $2::timestamptz - interval '1 day' AND "createdAt" < $3
          AND COALESCE("startedAt", "submittedAt", "createdAt") >= $2 AND COALESCE("startedAt", "submittedAt", "createdAt") < $3
        GROUP BY 1, 2`,
      ids,
      from,
      to,
    ),
    q.providerBill.findMany({ where: { endpointId: { in: ids }, bucketStart: { gte: from, lt: to } }, select: { endpointId: true, bucketStart: true, bucketEnd: true, amountUsd: true } }),
    q.providerBill.groupBy({ by: ["endpointId"], where: { endpointId: { in: ids } }, _max: { fetchedAt: true } }),
  ]);
  const lastOf = new Map(fetched.map((f) => [f.endpointId, f._max.fetchedAt]));
  const total = { computed: 0, billed: 0, computedBilled: 0, any: false };
  const rows = shown.map((e) => {
    const last = lastOf.get(e.id) ?? null;
    const byHour = new Map<number, { computed: number; attempts: number; billed: number | null; end: number }>();
    const at = (t: number) => byHour.get(t) ?? (byHour.set(t, { computed: 0, attempts: 0, billed: null, end: t + HOUR }), byHour.get(t)!);
    for (const c of computed) if (c.endpointId === e.id) Object.assign(at(new Date(c.hour).getTime()), { computed: c.cost, attempts: c.attempts });
    for (const b of bills) if (b.endpointId === e.id) Object.assign(at(b.bucketStart.getTime()), { billed: Number(b.amountUsd), end: b.bucketEnd.getTime() });
    const acc = { computed: 0, billed: 0, computedBilled: 0, any: false };
    const buckets: Bucket[] = [...byHour.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([start, v]) => {
        // No bill row for an hour the provider was asked about (it ended before the last fetch): it billed nothing.
        const billed = v.billed ?? (last && v.end <= last.getTime() ? 0 : null);
        acc.computed += v.computed;
        if (billed !== null) Object.assign(acc, { billed: acc.billed + billed, computedBilled: acc.computedBilled + v.computed, any: true });
        return { bucketStart: new Date(start).toISOString(), bucketEnd: new Date(v.end).toISOString(), attempts: v.attempts, ...compare(v.computed, billed === null ? null : { billed, computedBilled: v.computed }) };
      });
    total.computed += acc.computed;
    if (acc.any) Object.assign(total, { billed: total.billed + acc.billed, computedBilled: total.computedBilled + acc.computedBilled, any: true });
    return {
      endpointId: e.id,
      name: e.name,
      provider: e.provider,
      gpu: e.gpu,
      lastFetchedAt: last ? last.toISOString() : null,
      ...compare(acc.computed, acc.any ? acc : null),
      buckets,
    };
  });
  const lasts = rows.map((r) => r.lastFetchedAt).filter((x): x is string => !!x).sort();
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucketSize: "hour",
    lastFetchedAt: lasts.at(-1) ?? null,
    endpoints: rows,
    total: compare(total.computed, total.any ? total : null),
  };
}

function providerBills(kind: string): boolean {
  try {
    return typeof getProvider(kind).fetchBilling === "function";
  } catch {
    return false;
  }
}
