"use client";
// TanStack Query hooks for the analytics page: the same /api/v1/analytics routes any client calls,
// typed by the server's zod schemas.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { api, qs } from "@/components/api";
import type { GetSummaryOutput } from "@/lib/analytics/get-summary.types";
import type { GetMatrixOutput } from "@/lib/analytics/get-matrix.types";
import type { GetForecastOutput } from "@/lib/analytics/get-forecast.types";
import type { GetCostTruthOutput } from "@/lib/analytics/get-cost-truth.types";
import type { SyncProviderBillsOutput } from "@/lib/analytics/sync-provider-bills.types";

export type Summary = z.infer<typeof GetSummaryOutput>;
export type Matrix = z.infer<typeof GetMatrixOutput>;
export type SummaryGroup = Summary["groups"][number];
export type MatrixRow = Matrix["rows"][number];

export interface AnalyticsFilter {
  from: string;
  to: string;
  deployment?: string;
  endpoint?: string;
  provider?: string;
}

export function useSummary(f: AnalyticsFilter, groupBy: Summary["groupBy"], splitBy?: Summary["splitBy"]) {
  return useQuery({
    queryKey: ["analytics", "summary", f, groupBy, splitBy ?? null],
    queryFn: () => api<Summary>(`/api/v1/analytics/summary${qs({ ...f, groupBy, splitBy })}`),
    placeholderData: keepPreviousData,
  });
}

export function useMatrix(f: AnalyticsFilter, maxP95Ms: number) {
  return useQuery({
    queryKey: ["analytics", "matrix", f, maxP95Ms],
    queryFn: () => api<Matrix>(`/api/v1/analytics/matrix${qs({ ...f, maxP95Ms })}`),
    placeholderData: keepPreviousData,
  });
}

export type Forecast = z.infer<typeof GetForecastOutput>;
export type ForecastRow = Forecast["deployments"][number];

export function useForecast(deployment?: string) {
  return useQuery({
    queryKey: ["analytics", "forecast", deployment ?? null],
    queryFn: () => api<Forecast>(`/api/v1/analytics/forecast${qs({ deployment })}`),
    placeholderData: keepPreviousData,
  });
}

export type CostTruth = z.infer<typeof GetCostTruthOutput>;
export type CostTruthEndpoint = CostTruth["endpoints"][number];
export type BillSync = z.infer<typeof SyncProviderBillsOutput>;

export function useCostTruth(f: Pick<AnalyticsFilter, "from" | "to" | "endpoint">) {
  return useQuery({
    queryKey: ["analytics", "cost-truth", f.from, f.to, f.endpoint ?? null],
    queryFn: () => api<CostTruth>(`/api/v1/analytics/cost-truth${qs({ from: f.from, to: f.to, endpoint: f.endpoint })}`),
    placeholderData: keepPreviousData,
  });
}

/** Fetch the providers' bills now (endpoints:operate); the comparison is re-read after. */
export function useSyncBills() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<BillSync>("/api/v1/analytics/bills/sync", { method: "POST", json: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["analytics", "cost-truth"] }),
  });
}
