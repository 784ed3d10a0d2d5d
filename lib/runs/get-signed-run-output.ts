// The output behind a signed link (sign-output-link.ts): the signature is the authorization, so the
// file is read as Flowgate itself once it checks out.
import { systemActor } from "@/lib/auth/actor";
import { verifyLink } from "@/lib/crypto/signed-url";
import type { VerbArgs } from "@/lib/context";
import { ApiError } from "@/lib/errors";
import { getRunOutput } from "./get-run-output";
import { outputLinkSubject } from "./sign-output-link.types";
import { GetSignedRunOutputInput } from "./get-signed-run-output.types";

/** 401 unauthorized when the signature is wrong or the link expired (`details.reason`). */
export async function getSignedRunOutput({ ctx, input }: VerbArgs<GetSignedRunOutputInput>) {
  const { runId, outputId, exp, sig } = GetSignedRunOutputInput.parse(input);
  const expNum = exp && /^\d{1,12}$/.test(exp) ? Number(exp) : NaN;
  const check = verifyLink(outputLinkSubject(runId, outputId), expNum, sig);
  if (!check.ok) {
    throw new ApiError(
      "unauthorized",
      check.reason === "link_expired"
        ? "This download link has expired. Ask for the run again (get_run, or GET /api/v1/runs/{id}) for a fresh link."
        : "This download link is not valid (its signature does not match). Use the link exactly as given, or download with an API key.",
      { reason: check.reason },
    );
  }
  return getRunOutput({ ctx: { ...ctx, actor: systemActor }, input: { runId, outputId } });
}
