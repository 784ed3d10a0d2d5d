// A provider's job callback (RunPod, RunComfy) for one attempt: checked against the attempt's HMAC
// token, then recorded as a `provider.webhook` run event (the engine's poll stays the source of truth).
import { dbOf, type VerbArgs } from "@/lib/context";
import { ApiError } from "@/lib/errors";
import { recordEvent } from "./events";
import { verifyAttemptToken } from "./provider-webhook";
import { RecordProviderCallbackInput } from "./record-provider-callback.types";

export async function recordProviderCallback({ ctx, input }: VerbArgs<RecordProviderCallbackInput>) {
  const { attemptId, token, body } = RecordProviderCallbackInput.parse(input);
  if (!verifyAttemptToken(attemptId, token)) throw new ApiError("unauthorized", "This callback URL is not valid for that attempt.");
  const attempt = await dbOf(ctx).runAttempt.findUnique({ where: { id: attemptId }, select: { runId: true, number: true, provider: true } });
  if (!attempt) throw new ApiError("not_found", `Attempt ${attemptId} does not exist.`);
  let status: unknown = null;
  try {
    const text = typeof body === "string" ? body : await body();
    const parsed = JSON.parse(text.slice(0, 64 * 1024)) as { status?: unknown };
    status = typeof parsed?.status === "string" ? parsed.status : null;
  } catch {}
  await recordEvent(attempt.runId, "provider.webhook", { attempt: attempt.number, provider: attempt.provider, status });
  return { ok: true as const };
}
