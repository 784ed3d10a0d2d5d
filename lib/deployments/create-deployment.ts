// Expose a workflow version as an API: slots checked against the prompt, targets pre-flighted.
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import { inTransaction, type VerbArgs } from "@/lib/context";
import { audit } from "@/lib/audit/record";
import { bundledObjectInfo, checkGraph, normalizeSlotDefault, validateSlots, type ApiPrompt, type Slot } from "@/lib/comfy-graph";
import { CreateDeploymentInput, type CreateDeploymentInputArg } from "./create-deployment.types";
import { incompatibleError, preflight } from "./preflight";
import { Prisma } from "@/lib/generated/prisma/client";

const include = { slots: true, targets: { include: { endpoint: true } }, workflowVersion: true } as const;

/** The graph must be runnable and the slots must point at literal inputs of the prompt. */
export function checkSlots(prompt: ApiPrompt, slots: Slot[]) {
  // A version stored before uploads were checked may still link to missing nodes or loop: ComfyUI would refuse every run.
  const graph = checkGraph(prompt, bundledObjectInfo());
  if (graph.errors.length) {
    throw new ApiError("workflow_invalid", `This workflow version cannot run: ${graph.errors[0]!.message}. Upload a fixed version.`, { nodes: graph.errors.slice(0, 50) });
  }
  const slotProblems = validateSlots(slots, prompt);
  if (slotProblems.length) {
    throw new ApiError("slot_invalid", slotProblems.map((p) => (p.slot ? `slot "${p.slot}": ${p.message}` : p.message)).join("; "), {
      slots: slotProblems,
    });
  }
}

/** Targets must be distinct, existing endpoints; those in `preflightIds` (default: all) must be able to run the prompt. */
export async function checkTargets(prompt: ApiPrompt, targets: { endpointId: string }[], preflightIds?: string[]) {
  const ids = [...new Set(targets.map((t) => t.endpointId))];
  if (ids.length !== targets.length) throw new ApiError("validation_failed", "Each endpoint can be a target only once.");
  const endpoints = await db().endpoint.findMany({ where: { id: { in: ids } } });
  const missing = ids.filter((id) => !endpoints.some((e) => e.id === id));
  if (missing.length) throw new ApiError("not_found", `Endpoint(s) ${missing.join(", ")} do not exist.`, { endpointIds: missing });
  const check = preflightIds ? endpoints.filter((e) => preflightIds.includes(e.id)) : endpoints;
  if (!check.length) return;
  const { problems } = await preflight(prompt, check);
  if (problems.length) throw incompatibleError(problems);
}

async function checkSlotsAndTargets(prompt: ApiPrompt, slots: Slot[], targets: { endpointId: string }[]) {
  checkSlots(prompt, slots);
  await checkTargets(prompt, targets);
}

export function slotRows(slots: Slot[]) {
  return slots.map((s, i) => ({ s, def: normalizeSlotDefault(s), i })).map(({ s, def, i }) => ({
    id: newId("slot"),
    position: i,
    name: s.name,
    nodeId: s.nodeId,
    input: s.input,
    type: s.type,
    required: s.required ?? false,
    default: def === undefined || def === null ? Prisma.DbNull : (def as Prisma.InputJsonValue),
    min: s.min ?? null,
    max: s.max ?? null,
    step: s.step ?? null,
    enum: s.enum ? (s.enum as Prisma.InputJsonValue) : Prisma.DbNull,
    description: s.description ?? null,
  }));
}

import { slugify } from "./slug";
export { slugify };

export async function createDeployment({ ctx, input: body }: VerbArgs<CreateDeploymentInputArg>) {
  const { actor } = ctx;
  requirePermission(actor, "deployments:write");
  const input = CreateDeploymentInput.parse(body);
  const version = await db().workflowVersion.findUnique({ where: { id: input.workflowVersionId } });
  if (!version) throw new ApiError("not_found", `Workflow version "${input.workflowVersionId}" does not exist.`);
  const slots = input.slots as Slot[];
  await checkSlotsAndTargets(version.prompt as unknown as ApiPrompt, slots, input.targets);

  const slug = input.slug ?? slugify(input.name);
  try {
    return await inTransaction(ctx, async (tx) => {
      const d = await tx.deployment.create({
        data: {
          id: newId("dep"),
          name: input.name,
          slug,
          workflowId: version.workflowId,
          workflowVersionId: version.id,
          timeoutSeconds: input.timeoutSeconds,
          maxAttempts: input.maxAttempts,
          stuckAfterSeconds: input.stuckAfterSeconds,
          hedgeBudgetPercent: input.hedgeBudgetPercent ?? null,
          slots: { create: slotRows(slots) },
          targets: { create: input.targets.map((t) => ({ id: newId("tgt"), endpointId: t.endpointId, priority: t.priority })) },
        },
        include,
      });
      await audit(tx, actor, "deployment.create", { type: "deployment", id: d.id }, { slug, version: version.number });
      return d;
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const holder = await db().deployment.findUnique({ where: { slug }, select: { deletedAt: true } });
      if (holder?.deletedAt) {
        throw new ApiError(
          "slug_taken",
          `The slug "${slug}" belonged to a deployment deleted on ${holder.deletedAt.toISOString()}. Slugs are never reused, so old clients and the run history never point at a different API; choose another slug.`,
          { slug, deletedAt: holder.deletedAt.toISOString() },
        );
      }
      throw new ApiError("slug_taken", `A deployment with slug "${slug}" already exists. Choose another slug.`, { slug });
    }
    throw err;
  }
}

// Edit, pause/resume and delete live in update-deployment.ts, set-deployment-paused.ts and
// delete-deployment.ts (not re-exported here: they import this file, and a re-export would close a cycle).

export const deploymentInclude = include;
