"use client";
// TanStack Query hooks for the analytics page: the same /api/v1/analytics routes any client calls,
// typed by the server's zod schemas.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { api, qs } from "@/components/api";
import type { GetSummaryOutput } from "@/lib/analytics/get-summary.types";
import type { GetMatrixOutput } from "@/lib/analytics/get-matrix.types";
import type { GetForecastOutput } from "@/lib/analytics/get-forecast.types";

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
