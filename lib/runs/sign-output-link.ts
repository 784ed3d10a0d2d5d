// A signed output link: a download URL for one stored output that works without the bearer header
// until it expires (MCP tool results hand these to agents instead of inline bytes). Minted only for
// a caller who may read runs; the link's signature is then its authorization (get-signed-run-output.ts).
import { requirePermission } from "@/lib/auth/actor";
import { signLink } from "@/lib/crypto/signed-url";
import type { VerbArgs } from "@/lib/context";
import { outputLinkSubject, SignOutputLinkInput, type SignOutputLinkOutput } from "./sign-output-link.types";

/** The signed URL of one output, and when it expires. Pure: it does not check the output exists. */
export function signOutputLink({ ctx, input }: VerbArgs<SignOutputLinkInput>): SignOutputLinkOutput {
  requirePermission(ctx.actor, "read");
  const { runId, outputId, baseUrl, expiresInSeconds } = SignOutputLinkInput.parse(input);
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  const path = `/api/v1/runs/${encodeURIComponent(runId)}/outputs/${encodeURIComponent(outputId)}/signed`;
  const url = new URL(path, baseUrl);
  url.searchParams.set("exp", String(exp));
  url.searchParams.set("sig", signLink(outputLinkSubject(runId, outputId), exp));
  return { url: url.toString(), expiresAt: new Date(exp * 1000).toISOString() };
}
