import { z } from "zod";
import { ApiError } from "@/lib/errors";
import { PageInput, pageParams } from "@/lib/api/pagination";
import { RUN_STATUSES, type RunStatus } from "./status";

export const ListRunsInput = PageInput.extend({
  /** a deployment's slug */
  deployment: z.string().min(1).nullish(),
  status: z.enum(RUN_STATUSES).nullish(),
  /** runs created at or after this time */
  since: z.coerce.date().nullish(),
  /** runs with an attempt on this endpoint */
  endpoint: z.string().min(1).nullish(),
  /** only runs still in flight */
  live: z.boolean().nullish(),
  /** a run id, or a provider job id of one of its attempts */
  q: z.string().trim().min(1).max(200).nullish(),
});
export type ListRunsInput = z.input<typeof ListRunsInput>;

/** `GET /api/v1/runs?deployment=&status=&since=&limit=&cursor=` → the verb's input (400 bad_request on a bad filter). */
export function listRunsQuery(url: URL): ListRunsInput {
  const status = url.searchParams.get("status");
  const since = url.searchParams.get("since");
  if (status && !RUN_STATUSES.includes(status as RunStatus)) throw new ApiError("bad_request", `status must be one of ${RUN_STATUSES.join(", ")}.`);
  const sinceDate = since ? new Date(since) : null;
  if (sinceDate && Number.isNaN(sinceDate.getTime())) throw new ApiError("bad_request", "since must be an ISO-8601 time.");
  const live = url.searchParams.get("live");
  return {
    ...pageParams(url),
    deployment: url.searchParams.get("deployment") || null,
    status: (status || null) as RunStatus | null,
    since: sinceDate,
    endpoint: url.searchParams.get("endpoint") || null,
    live: live === "true" || live === "1" ? true : null,
    q: url.searchParams.get("q")?.trim() || null,
  };
}
