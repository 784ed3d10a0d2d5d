// A run's webhook deliveries, oldest first, each with every try (status code, duration, error).
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { serializeDelivery } from "./serialize";
import { ListDeliveriesInput } from "./list-deliveries.types";

export async function listDeliveries({ ctx, input }: VerbArgs<ListDeliveriesInput>) {
  requirePermission(ctx.actor, "read");
  const { runId } = ListDeliveriesInput.parse(input);
  const q = dbOf(ctx);
  const run = await q.run.findUnique({ where: { id: runId }, select: { id: true } });
  if (!run) throw notFound("Run", runId);
  const rows = await q.webhookDelivery.findMany({ where: { runId }, include: { attempts: true }, orderBy: { createdAt: "asc" } });
  return { items: rows.map(serializeDelivery), nextCursor: null };
}
