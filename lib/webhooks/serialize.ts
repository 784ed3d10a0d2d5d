// A webhook delivery with every try, in API.md's shape.
import type { Prisma } from "@/lib/generated/prisma/client";

export function serializeDelivery(d: Prisma.WebhookDeliveryGetPayload<{ include: { attempts: true } }>) {
  return {
    id: d.id,
    runId: d.runId,
    url: d.url,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    attempts: d.attempts
      .sort((a, b) => a.number - b.number)
      .map((a) => ({ number: a.number, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, at: a.createdAt.toISOString() })),
  };
}
