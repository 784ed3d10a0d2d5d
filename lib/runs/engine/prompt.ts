// Building the prompt an attempt submits: the workflow version's prompt with the run's inputs
// applied, input images read from storage, empty seeds drawn once and recorded.
import { db } from "@/lib/db";
import { applyInputs, type ApiPrompt } from "@/lib/comfy-graph";
import { ProviderError, type InputImage } from "@/lib/providers/types";
import { storage } from "@/lib/storage";
import { slotFromRow } from "@/lib/deployments/serialize";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Loaded } from "./load";

/** Workflow versions never change, so their prompts are shared by every run in this process. */
const prompts = new Map<string, Promise<ApiPrompt>>();
function versionPrompt(versionId: string): Promise<ApiPrompt> {
  let p = prompts.get(versionId);
  if (!p) {
    p = db().workflowVersion.findUniqueOrThrow({ where: { id: versionId }, select: { prompt: true } }).then((v) => v.prompt as unknown as ApiPrompt);
    p.catch(() => prompts.delete(versionId));
    prompts.set(versionId, p);
    if (prompts.size > 100) prompts.delete(prompts.keys().next().value!);
  }
  return p;
}

/** Slots converted once per cached deployment (every run of it shares the object). */
const slotCache = new WeakMap<Loaded["deployment"], ReturnType<typeof slotFromRow>[]>();
function slotsOf(d: Loaded["deployment"]) {
  let slots = slotCache.get(d);
  if (!slots) slotCache.set(d, (slots = d.slots.map(slotFromRow)));
  return slots;
}

export interface BuiltPrompt {
  prompt: ApiPrompt;
  images: InputImage[];
  /** The run's resolved inputs (seeds drawn) to record before the first submit; null when already recorded. */
  record: Record<string, unknown> | null;
}

/** The prompt to submit and the resolved inputs to record first; `run.resolvedInputs` is updated in memory only. */
export async function buildPrompt(run: Loaded): Promise<BuiltPrompt> {
  const slots = slotsOf(run.deployment);
  const inputs = (run.inputs ?? {}) as Record<string, unknown>;
  const images: InputImage[] = [];
  const imageNames: Record<string, string> = {};
  const values: Record<string, unknown> = { ...inputs };
  for (const slot of slots) {
    const v = inputs[slot.name] as { storageKey?: string; contentType?: string } | undefined;
    if (slot.type !== "image" || !v?.storageKey) continue;
    const obj = await storage().get(v.storageKey);
    if (!obj) throw new ProviderError("final", "input_missing", `The stored input image for "${slot.name}" is gone from storage.`);
    const data = Buffer.from(await new Response(obj.stream()).arrayBuffer());
    const ext = v.storageKey.split(".").pop() ?? "png";
    // Unique per run so no run ever sees another run's input with the same file name.
    const name = `fg_${run.id}_${slot.name}.${ext}`;
    images.push({ name, data, contentType: v.contentType });
    imageNames[slot.name] = name;
    delete values[slot.name];
  }
  // Seeds left empty are drawn once and recorded, so retries and failovers run the same prompt.
  const previous = (run.resolvedInputs ?? null) as Record<string, unknown> | null;
  const base = previous ? { ...values, ...Object.fromEntries(Object.entries(previous).filter(([k]) => !(k in imageNames))) } : values;
  const applied = applyInputs(await versionPrompt(run.workflowVersionId), slots, base, { imageNames });
  let record: Record<string, unknown> | null = null;
  if (!previous) {
    record = { ...applied.resolved };
    for (const k of Object.keys(imageNames)) record[k] = inputs[k];
  }
  return { prompt: applied.prompt, images, record };
}

/** Build the prompt and record the run's resolved inputs (once) before it is submitted. */
export async function resolvedPrompt(run: Loaded): Promise<{ prompt: ApiPrompt; images: InputImage[] }> {
  const built = await buildPrompt(run);
  if (built.record) {
    await db().run.update({ where: { id: run.id }, data: { resolvedInputs: built.record as Prisma.InputJsonValue } });
    run.resolvedInputs = built.record as Prisma.JsonValue;
  }
  return built;
}

