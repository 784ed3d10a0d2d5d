import { NextResponse, type NextRequest } from "next/server";
import { db } from "@/lib/db";
import { errorResponse } from "@/lib/api/with-api";
import { ApiError } from "@/lib/errors";
import { recordEvent } from "@/lib/runs/events";
import { verifyAttemptToken } from "@/lib/runs/provider-webhook";

// POST /api/v1/hooks/attempts/{attemptId}?token= – a provider's job callback (RunPod, RunComfy);
// authenticated by the per-attempt HMAC token Flowgate put in the URL it gave the provider.
export async function POST(req: NextRequest, ctx: { params: Promise<{ attemptId: string }> }) {
  try {
    const { attemptId } = await ctx.params;
    if (!verifyAttemptToken(attemptId, req.nextUrl.searchParams.get("token"))) {
      throw new ApiError("unauthorized", "This callback URL is not valid for that attempt.");
    }
    const attempt = await db().runAttempt.findUnique({ where: { id: attemptId }, select: { runId: true, number: true, provider: true } });
    if (!attempt) throw new ApiError("not_found", `Attempt ${attemptId} does not exist.`);
    const text = (await req.text()).slice(0, 64 * 1024);
    let status: unknown = null;
    try {
      const body = JSON.parse(text) as { status?: unknown };
      status = typeof body?.status === "string" ? body.status : null;
    } catch {}
    await recordEvent(attempt.runId, "provider.webhook", { attempt: attempt.number, provider: attempt.provider, status });
    return NextResponse.json({ ok: true });
  } catch (err) {
    return errorResponse(err, req);
  }
}
