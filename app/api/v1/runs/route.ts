import { withApi, json } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { page, pageParams } from "@/lib/api/pagination";
import { runInclude, serializeRun } from "@/lib/runs/serialize";
import { RUN_STATUSES, type RunStatus } from "@/lib/runs/status";

// GET /api/v1/runs?deployment=&status=&since= – runs, newest first
export const GET = withApi({ permission: "read" }, async ({ req }) => {
  const url = new URL(req.url);
  const { limit, cursor } = pageParams(url);
  const slug = url.searchParams.get("deployment");
  const status = url.searchParams.get("status");
  const since = url.searchParams.get("since");
  if (status && !RUN_STATUSES.includes(status as RunStatus)) throw new ApiError("bad_request", `status must be one of ${RUN_STATUSES.join(", ")}.`);
  const sinceDate = since ? new Date(since) : null;
  if (sinceDate && Number.isNaN(sinceDate.getTime())) throw new ApiError("bad_request", "since must be an ISO-8601 time.");
  const rows = await db().run.findMany({
    where: {
      ...(cursor ? { id: { lt: cursor } } : {}),
      ...(slug ? { deployment: { slug } } : {}),
      ...(status ? { status: status as RunStatus } : {}),
      ...(sinceDate ? { createdAt: { gte: sinceDate } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    include: runInclude,
  });
  const p = page(rows, limit);
  return json({ items: p.items.map(serializeRun), nextCursor: p.nextCursor });
});
