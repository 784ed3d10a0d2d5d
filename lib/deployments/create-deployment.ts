// Expose a workflow version as an API: slots checked against the prompt, targets pre-flighted.
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { requirePermission, type Actor } from "@/lib/auth/actor";
import { audit } from "@/lib/audit/record";
import { bundledObjectInfo, checkGraph, normalizeSlotDefault, validateSlots, type ApiPrompt, type Slot } from "@/lib/workflow";
import { CreateDeploymentInput, UpdateDeploymentInput } from "./schemas";
import { incompatibleError, preflight } from "./preflight";
import { Prisma } from "@/lib/generated/prisma/client";

const include = { slots: true, targets: { include: { endpoint: true } }, workflowVersion: true } as const;

async function checkSlotsAndTargets(prompt: ApiPrompt, slots: Slot[], targets: { endpointId: string }[]) {
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
  const ids = [...new Set(targets.map((t) => t.endpointId))];
  if (ids.length !== targets.length) throw new ApiError("validation_failed", "Each endpoint can be a target only once.");
  const endpoints = await db().endpoint.findMany({ where: { id: { in: ids } } });
  const missing = ids.filter((id) => !endpoints.some((e) => e.id === id));
  if (missing.length) throw new ApiError("not_found", `Endpoint(s) ${missing.join(", ")} do not exist.`, { endpointIds: missing });
  const { problems } = await preflight(prompt, endpoints);
  if (problems.length) throw incompatibleError(problems);
}

function slotRows(slots: Slot[]) {
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

export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50) || "deployment";
}

export async function createDeployment(actor: Actor, body: unknown) {
  requirePermission(actor, "deployments:write");
  const input = CreateDeploymentInput.parse(body);
  const version = await db().workflowVersion.findUnique({ where: { id: input.workflowVersionId } });
  if (!version) throw new ApiError("not_found", `Workflow version "${input.workflowVersionId}" does not exist.`);
  const slots = input.slots as Slot[];
  await checkSlotsAndTargets(version.prompt as unknown as ApiPrompt, slots, input.targets);

  const slug = input.slug ?? slugify(input.name);
  try {
    return await db().$transaction(async (tx) => {
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
      throw new ApiError("slug_taken", `A deployment with slug "${slug}" already exists. Choose another slug.`, { slug });
    }
    throw err;
  }
}

export async function updateDeployment(actor: Actor, slug: string, body: unknown) {
  requirePermission(actor, "deployments:write");
  const input = UpdateDeploymentInput.parse(body);
  const current = await db().deployment.findUnique({ where: { slug }, include });
  if (!current) throw new ApiError("not_found", `Deployment "${slug}" does not exist.`);
  const versionId = input.workflowVersionId ?? current.workflowVersionId;
  const version = await db().workflowVersion.findUnique({ where: { id: versionId } });
  if (!version || version.workflowId !== current.workflowId) {
    throw new ApiError("not_found", `Workflow version "${versionId}" does not exist for this deployment's workflow.`);
  }
  if (input.workflowVersionId || input.slots || input.targets) {
    const slots = (input.slots as Slot[] | undefined) ?? current.slots.map((s) => ({ name: s.name, nodeId: s.nodeId, input: s.input, type: s.type as Slot["type"] }));
    const targets = input.targets ?? current.targets;
    await checkSlotsAndTargets(version.prompt as unknown as ApiPrompt, slots, targets);
  }
  return db().$transaction(async (tx) => {
    if (input.slots) {
      await tx.deploymentSlot.deleteMany({ where: { deploymentId: current.id } });
      await tx.deploymentSlot.createMany({ data: slotRows(input.slots as Slot[]).map((r) => ({ ...r, deploymentId: current.id })) });
    }
    if (input.targets) {
      await tx.deploymentTarget.deleteMany({ where: { deploymentId: current.id } });
      await tx.deploymentTarget.createMany({
        data: input.targets.map((t) => ({ id: newId("tgt"), deploymentId: current.id, endpointId: t.endpointId, priority: t.priority })),
      });
    }
    const d = await tx.deployment.update({
      where: { id: current.id },
      data: {
        name: input.name,
        workflowVersionId: versionId,
        timeoutSeconds: input.timeoutSeconds,
        maxAttempts: input.maxAttempts,
        stuckAfterSeconds: input.stuckAfterSeconds,
        paused: input.paused,
      },
      include,
    });
    await audit(tx, actor, "deployment.update", { type: "deployment", id: d.id }, { fields: Object.keys(input) });
    return d;
  });
}

export const deploymentInclude = include;
