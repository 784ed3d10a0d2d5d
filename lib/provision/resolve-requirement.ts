// PUT /api/v1/provision/resolutions: the user's answer for a class no index knows (its pack's git
// URL) or a model file without a known source (its download URL), remembered for every workflow.
import { audit } from "@/lib/audit/record";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { ResolveRequirementInput } from "./get-requirements.types";

const GIT_HOSTS = /^https:\/\/(github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|huggingface\.co)\/[^/\s]+\/[^/\s]+?(\.git)?\/?$/i;

export async function resolveRequirement({ ctx, input }: VerbArgs<ResolveRequirementInput>) {
  requirePermission(ctx.actor, "workflows:write");
  const { kind, key, url } = ResolveRequirementInput.parse(input);
  if (url && kind === "class" && !GIT_HOSTS.test(url)) {
    throw new ApiError("bad_request", "A node pack is given by its repository URL, e.g. https://github.com/owner/ComfyUI-Pack");
  }
  const clean = url && kind === "class" ? url.replace(/\.git$/, "").replace(/\/+$/, "") : url;
  const run = async (tx: Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0]) => {
    const before = await tx.provisionResolution.findUnique({ where: { kind_key: { kind, key } } });
    let row;
    if (clean === null) {
      if (before) await tx.provisionResolution.delete({ where: { id: before.id } });
    } else {
      row = await tx.provisionResolution.upsert({
        where: { kind_key: { kind, key } },
        create: { id: newId("prs"), kind, key, url: clean, createdBy: `${ctx.actor.type}:${ctx.actor.id}` },
        update: { url: clean },
      });
    }
    await audit(tx, ctx.actor, clean === null ? "provision.resolution.delete" : "provision.resolution.set", { type: "provision_resolution", id: before?.id ?? row?.id ?? null }, undefined, {
      before: before ? { kind, key, url: before.url } : undefined,
      after: row ? { kind, key, url: row.url } : undefined,
    });
    return { kind, key, url: row?.url ?? null, updatedAt: (row?.updatedAt ?? new Date()).toISOString() };
  };
  return ctx.tx ? run(ctx.tx) : db().$transaction(run);
}
