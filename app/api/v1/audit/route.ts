import { withApi, json } from "@/lib/api/with-api";
import { listAudit } from "@/lib/audit/list-audit";

// GET /api/v1/audit?actor=&action=&targetType=&targetId=&since=&limit=&cursor= – audit rows, newest first (admin, oncall)
export const GET = withApi({ permission: "audit:read" }, async ({ req, ctx }) => {
  const input = Object.fromEntries(new URL(req.url).searchParams);
  return json(await listAudit({ ctx, input }));
});
