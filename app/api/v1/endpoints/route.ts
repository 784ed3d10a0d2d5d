import { withApi, json, readJson } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { page, pageParams } from "@/lib/api/pagination";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { serializeEndpoint } from "@/lib/endpoints/serialize";

// POST /api/v1/endpoints – register where workflows execute (secret is write-only)
export const POST = withApi({ permission: "endpoints:write" }, async ({ req, actor }) => {
  const ep = await createEndpoint(actor, await readJson(req));
  return json(serializeEndpoint(ep), 201);
});

// GET /api/v1/endpoints – list endpoints with their latest health
export const GET = withApi({ permission: "read" }, async ({ req }) => {
  const { limit, cursor } = pageParams(new URL(req.url));
  const rows = await db().endpoint.findMany({
    where: cursor ? { id: { lt: cursor } } : undefined,
    orderBy: { id: "desc" },
    take: limit + 1,
    include: { healthChecks: { orderBy: { checkedAt: "desc" }, take: 1 } },
  });
  const p = page(rows, limit);
  return json({ items: p.items.map(serializeEndpoint), nextCursor: p.nextCursor });
});
