// Signed output links: a download URL for one stored output that works without the bearer header
// until it expires (MCP tool results hand these to agents instead of inline bytes). The signature is
// the authorization: it was minted for someone allowed to read the run (`signOutputLink` checks).
import { requirePermission, systemActor } from "@/lib/auth/actor";
import { signLink, verifyLink } from "@/lib/crypto/signed-url";
import type { VerbArgs } from "@/lib/context";
import { ApiError } from "@/lib/errors";
import { getRunOutput } from "./get-run-output";
import { GetSignedRunOutputInput, SignOutputLinkInput } from "./signed-output-link.types";

const subject = (runId: string, outputId: string) => `run-output:${runId}/${outputId}`;

/** The signed URL of one output, and when it expires. Pure: it does not check the output exists. */
export function signOutputLink({ ctx, input }: VerbArgs<SignOutputLinkInput>): { url: string; expiresAt: string } {
  requirePermission(ctx.actor, "read");
  const { runId, outputId, baseUrl, expiresInSeconds } = SignOutputLinkInput.parse(input);
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  const path = `/api/v1/runs/${encodeURIComponent(runId)}/outputs/${encodeURIComponent(outputId)}/signed`;
  const url = new URL(path, baseUrl);
  url.searchParams.set("exp", String(exp));
  url.searchParams.set("sig", signLink(subject(runId, outputId), exp));
  return { url: url.toString(), expiresAt: new Date(exp * 1000).toISOString() };
}

/** The output behind a signed link (401 unauthorized when the signature is wrong or the link expired). */
export async function getSignedRunOutput({ ctx, input }: VerbArgs<GetSignedRunOutputInput>) {
  const { runId, outputId, exp, sig } = GetSignedRunOutputInput.parse(input);
  const expNum = exp && /^\d{1,12}$/.test(exp) ? Number(exp) : NaN;
  const check = verifyLink(subject(runId, outputId), expNum, sig);
  if (!check.ok) {
    throw new ApiError(
      "unauthorized",
      check.reason === "link_expired"
        ? "This download link has expired. Ask for the run again (get_run, or GET /api/v1/runs/{id}) for a fresh link."
        : "This download link is not valid (its signature does not match). Use the link exactly as given, or download with an API key.",
      { reason: check.reason },
    );
  }
  // The link was minted for a reader of this run; the file is read as Flowgate itself.
  return getRunOutput({ ctx: { ...ctx, actor: systemActor }, input: { runId, outputId } });
}
