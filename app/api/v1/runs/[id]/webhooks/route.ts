import { withApi, json } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { serializeDelivery } from "@/lib/webhooks/deliver";

// GET /api/v1/runs/{id}/webhooks – the run's webhook deliveries with every try (status, duration)
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ params }) => {
  const run = await db().run.findUnique({ where: { id: params.id }, select: { id: true } });
  if (!run) throw notFound("Run", params.id);
  const rows = await db().webhookDelivery.findMany({ where: { runId: params.id }, include: { attempts: true }, orderBy: { createdAt: "asc" } });
  return json({ items: rows.map(serializeDelivery), nextCursor: null });
});
