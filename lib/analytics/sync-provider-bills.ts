// Cost truth, the fetch: ask each RunPod serverless endpoint's adapter what RunPod billed per hour
// (GET /v1/billing/endpoints through outboundFetch, validated and bounded in the adapter) and replace
// the endpoint's ProviderBill rows in the window with the answer, with its audit row in the same
// transaction. A provider that answers garbage or cannot be reached writes no bill. Run hourly by
// the worker (graphile cron, last 48 hours) and on demand (POST /api/v1/analytics/bills/sync).
import { audit } from "@/lib/audit/record";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { db } from "@/lib/db";
import { roundUsd } from "@/lib/cost";
import { toTarget } from "@/lib/endpoints/target";
import { ApiError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getProvider } from "@/lib/providers/registry";
import { ProviderError } from "@/lib/providers/types";
import { MAX_SYNC_DAYS, SyncProviderBillsInput, type SyncProviderBillsOutput } from "./sync-provider-bills.types";

const HOUR = 3_600_000;
type Result = SyncProviderBillsOutput["endpoints"][number];

/** Provider error codes that mean "it answered, but not a bill". */
const INVALID = new Set(["billing_response_invalid", "unexpected_response", "output_too_large"]);

export async function syncProviderBills({ ctx, input }: VerbArgs<SyncProviderBillsInput>): Promise<SyncProviderBillsOutput> {
  // Operate, not read: it calls the provider with the endpoint's stored key and writes bills.
  requirePermission(ctx.actor, "endpoints:operate");
  const i = SyncProviderBillsInput.parse(input ?? {});
  const to = i.to ?? new Date();
  const from = new Date(Math.floor((i.from ?? new Date(to.getTime() - 48 * HOUR)).getTime() / HOUR) * HOUR);
  if (from >= to) throw new ApiError("validation_failed", "`from` must be before `to`.", { from: from.toISOString(), to: to.toISOString() });
  if (to.getTime() - from.getTime() > MAX_SYNC_DAYS * 24 * HOUR) throw new ApiError("validation_failed", `One sync covers at most ${MAX_SYNC_DAYS} days.`, { from: from.toISOString(), to: to.toISOString() });
  const endpoints = await db().endpoint.findMany({
    where: i.endpointId ? { id: i.endpointId } : {},
    select: { id: true, name: true, provider: true, config: true, secretEncrypted: true },
    orderBy: { name: "asc" },
  });
  if (i.endpointId && !endpoints.length) throw new ApiError("not_found", `Endpoint ${JSON.stringify(i.endpointId)} does not exist.`);
  const fetchedAt = new Date();
  const results: Result[] = [];
  for (const ep of endpoints) {
    const base = { endpointId: ep.id, name: ep.name, provider: ep.provider, buckets: 0, billedUsd: 0, error: null };
    const adapter = getProvider(ep.provider);
    if (!adapter.fetchBilling) {
      if (i.endpointId) throw new ApiError("not_supported", `Endpoint "${ep.name}" is a ${ep.provider} endpoint: only RunPod serverless endpoints report what they billed.`, { endpointId: ep.id });
      results.push({ ...base, status: "not_supported" });
      continue;
    }
    try {
      const buckets = await adapter.fetchBilling(toTarget(ep), { from, to, bucketSize: "hour" });
      const billedUsd = roundUsd(buckets.reduce((s, b) => s + b.amountUsd, 0));
      await db().$transaction(async (tx) => {
        const where = { endpointId: ep.id, bucketStart: { gte: from, lt: to } };
        const before = await tx.providerBill.aggregate({ where, _sum: { amountUsd: true }, _count: true });
        await tx.providerBill.deleteMany({ where });
        if (buckets.length) {
          await tx.providerBill.createMany({
            data: buckets.map((b) => ({ endpointId: ep.id, bucketStart: b.bucketStart, bucketEnd: b.bucketEnd, amountUsd: roundUsd(b.amountUsd), raw: b.raw as Prisma.InputJsonValue, fetchedAt })),
          });
        }
        await audit(tx, ctx.actor, "analytics.bills_sync", { type: "endpoint", id: ep.id }, { from: from.toISOString(), to: to.toISOString(), bucketSize: "hour" }, {
          before: { buckets: before._count, billedUsd: Number(before._sum.amountUsd ?? 0) },
          after: { buckets: buckets.length, billedUsd },
        });
      });
      results.push({ ...base, status: "ok", buckets: buckets.length, billedUsd });
    } catch (e) {
      const code = e instanceof ProviderError ? e.code : "internal_error";
      const message = (e as Error).message;
      await db().$transaction((tx) => audit(tx, ctx.actor, "analytics.bills_sync", { type: "endpoint", id: ep.id }, { from: from.toISOString(), to: to.toISOString(), code, message }, { outcome: "failed" }));
      if (i.endpointId) {
        throw new ApiError(INVALID.has(code) ? "provider_response_invalid" : "endpoint_unreachable", `RunPod's billing for endpoint "${ep.name}" could not be read; no bill was stored: ${message}`, { endpointId: ep.id, providerCode: code });
      }
      results.push({ ...base, status: "failed", error: { code, message } });
    }
  }
  return { from: from.toISOString(), to: to.toISOString(), bucketSize: "hour", fetchedAt: fetchedAt.toISOString(), endpoints: results };
}
