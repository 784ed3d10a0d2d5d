// What the dashboard's home shows: what needs attention now, counts and the last hour per minute.
import { z } from "zod";
import { EndpointStateSchema } from "@/lib/endpoints/get-endpoint-state.types";
import { RUN_STATUSES } from "@/lib/runs/status";

const Iso = z.string();

export const AttentionRun = z.object({
  id: z.string(),
  status: z.enum(RUN_STATUSES),
  deploymentSlug: z.string(),
  endpointName: z.string().nullable(),
  createdAt: Iso,
  /** when anything last happened to it (its last event) */
  lastEventAt: Iso,
  /** stuck: no event for this long; failed: the error */
  silentMs: z.number(),
  error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
});

/** A warning another part of Flowgate raises here (budgets: the analytics work fills it). */
export const AttentionWarning = z.object({ kind: z.string(), message: z.string(), href: z.string().nullable() });

export const OverviewSchema = z.object({
  stuckAfterSeconds: z.number(),
  stuckRuns: z.array(AttentionRun),
  failedRuns: z.array(AttentionRun),
  endpoints: z.array(EndpointStateSchema),
  budgetWarnings: z.array(AttentionWarning),
  counts: z.object({
    live: z.number(),
    queued: z.number(),
    running: z.number(),
    stuck: z.number(),
    lastHour: z.object({ created: z.number(), succeeded: z.number(), failed: z.number() }),
  }),
  /** 60 one-minute buckets, oldest first: runs created and runs that ended failed / timed out */
  lastHour: z.array(z.object({ at: Iso, runs: z.number(), failures: z.number() })),
  computedAt: Iso,
});
export type Overview = z.output<typeof OverviewSchema>;

export const GetOverviewInput = z.object({ stuckAfterSeconds: z.number().int().min(5).max(86_400).optional() }).default({});
export type GetOverviewInput = z.input<typeof GetOverviewInput>;
