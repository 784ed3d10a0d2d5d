// Start a run. One transaction inserts the run, its first event and its queue job, so an accepted
// run is never lost even if every process dies right after the 202.
import { assertWithinBudget } from "@/lib/analytics/budgets";
import { createHash } from "node:crypto";
import { db, pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { requireDeployment, requirePermission, type Actor } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { validateRunInputs } from "@/lib/comfy-graph";
import { slotFromRow } from "@/lib/deployments/serialize";
import { assertAllowedUrl } from "@/lib/net/check-url";
import { deletedError, pausedError } from "@/lib/deployments/messages";
import { storage } from "@/lib/storage";
import { decodeImageInput } from "./image-inputs";
import { RUN_CHANNEL } from "./events";
import { auditInsertSql } from "@/lib/audit/record";
import type { DeploymentSlot } from "@/lib/generated/prisma/client";
import { dispatchJobSql, addJob } from "@/lib/queue/add-job";
import { CreateRunBody, type CreateRunInput, type CreateRunOutput } from "./create-run.types";

export { CreateRunBody };

export const DISPATCH_TASK = "run_dispatch";

export async function createRun({ ctx, input: args }: VerbArgs<CreateRunInput>): Promise<CreateRunOutput> {
  const { actor } = ctx;
  const { slug } = args;
  const opts = { idempotencyKey: args.idempotencyKey };
  requirePermission(actor, "runs:write");
  requireDeployment(actor, slug);
  // The body is parsed on its own, so a bad field's error path is the body's ("wait", not "body.wait").
  const input = CreateRunBody.parse(args.body ?? {});
  const deployment = await deploymentForRun(slug);
  if (!deployment) throw new ApiError("not_found", `Deployment "${slug}" does not exist.`);
  if (deployment.deletedAt) throw deletedError(slug, deployment.deletedAt);
  if (deployment.paused) throw pausedError(slug);
  // The budget's own check (its spend this month) only for a deployment whose budget stops runs:
  // the deployment read above says whether it has one, so the common case costs no round trip.
  if (deployment.budgetHardStop && deployment.monthlyBudgetUsd !== null) await assertWithinBudget(deployment.id);

  const key = opts.idempotencyKey?.trim() || null;
  if (key && key.length > 255) throw new ApiError("bad_request", "Idempotency-Key is at most 255 characters.");
  const requestHash = key ? createHash("sha256").update(JSON.stringify(input)).digest("hex") : null;
  if (key) {
    const existing = await findIdempotent(deployment.id, key, requestHash!);
    if (existing) return { runId: existing, created: false, wait: input.wait };
  }

  const slots = deployment.slots;
  const checked = validateRunInputs(slots, input.inputs);
  if (!checked.ok) {
    const first = checked.errors[0];
    throw new ApiError("input_invalid", checked.errors.map((e) => `${e.slot}: ${e.message}`).join("; "), {
      slot: first?.slot,
      errors: checked.errors,
    });
  }
  if (input.webhook) await assertAllowedUrl(input.webhook, "webhook");

  const runId = newId("run");
  // Images are decoded, checked and stored before the run exists; the stored values reference them.
  const recorded: Record<string, unknown> = { ...checked.values };
  for (const slot of slots) {
    const v = checked.values[slot.name];
    if (slot.type !== "image" || typeof v !== "string") continue;
    const img = await decodeImageInput(slot.name, v);
    const storageKey = `inputs/${runId}/${slot.name}.${img.ext}`;
    await storage().put(storageKey, img.data, img.contentType);
    recorded[slot.name] = { storageKey, contentType: img.contentType, sizeBytes: img.data.length, source: img.source, ...(img.source === "url" ? { url: v } : {}) };
  }

  const inserted = await insertQueuedRun({
    id: runId,
    deploymentId: deployment.id,
    workflowVersionId: deployment.workflowVersionId,
    inputs: recorded,
    webhookUrl: input.webhook ?? null,
    idempotencyKey: key,
    requestHash,
    actor,
  });
  if (!inserted) {
    // A concurrent request with the same key won the race.
    const existing = await findIdempotent(deployment.id, key!, requestHash!);
    if (!existing) throw new ApiError("conflict", "A request with this Idempotency-Key is being processed; retry shortly.");
    return { runId: existing, created: false, wait: input.wait };
  }
  return { runId, created: true, wait: input.wait };
}

/**
 * The deployment and its slots in one round trip: this is the hot path of POST …/runs. A prepared
 * statement (parsed and planned once per connection); the slots come back as JSON text, converted
 * once per distinct text (a deployment's slots change only by an edit, which changes the text).
 */
async function deploymentForRun(slug: string) {
  const r = await pool().query<{ id: string; workflowVersionId: string; paused: boolean; deletedAt: Date | null; monthlyBudgetUsd: string | null; budgetHardStop: boolean; slots: string }>({
    name: "fg_deployment_for_run_budget",
    text: `SELECT d.id, d."workflowVersionId", d.paused, d."deletedAt", d."monthlyBudgetUsd", d."budgetHardStop",
              COALESCE(json_agg(s ORDER BY s.position) FILTER (WHERE s.id IS NOT NULL), '[]')::text AS slots
       FROM "Deployment" d LEFT JOIN "DeploymentSlot" s ON s."deploymentId" = d.id
       WHERE d.slug = $1 GROUP BY d.id`,
    values: [slug],
  });
  const row = r.rows[0];
  return row ? { ...row, slots: slotsFromText(row.id, row.slots) } : null;
}

/** Per deployment: the last slots text seen and its converted slots (validation input), reused while unchanged. */
const slotCache = new Map<string, { text: string; slots: ReturnType<typeof slotFromRow>[] }>();
function slotsFromText(deploymentId: string, text: string) {
  const hit = slotCache.get(deploymentId);
  if (hit && hit.text === text) return hit.slots;
  const slots = (JSON.parse(text) as DeploymentSlot[]).map(slotFromRow);
  if (slotCache.size > 1000) slotCache.clear();
  slotCache.set(deploymentId, { text, slots });
  return slots;
}

/** A stable name per distinct statement text, so pg prepares each once per connection. */
const statementNames = new Map<string, string>();
function prepared(text: string) {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `fg_insert_run_${statementNames.size}`));
  return name;
}

export interface NewRun {
  id: string;
  deploymentId: string;
  workflowVersionId: string;
  inputs: unknown;
  webhookUrl: string | null;
  idempotencyKey?: string | null;
  requestHash?: string | null;
  actor: Actor;
  eventData?: Record<string, unknown>;
  /** The audit row written with the run (default `run.create` on the new run). */
  audit?: { action: string; targetId?: string; details?: Record<string, unknown> };
}

/**
 * The run, its first event, its queue job, its audit row and the NOTIFY in ONE statement — atomic
 * like a transaction, in one round trip. False when the Idempotency-Key already has a run.
 */
export async function insertQueuedRun(r: NewRun): Promise<boolean> {
  const args: unknown[] = [r.id, r.deploymentId, r.workflowVersionId, JSON.stringify(r.inputs), r.webhookUrl, r.idempotencyKey ?? null, r.requestHash ?? null,
    // An MCP agent acts with an API key (lib/mcp/http.ts takes bearer keys only): the run is that key's.
    r.actor.type === "apiKey" || r.actor.type === "mcp" ? r.actor.id : null, r.actor.type === "user" ? r.actor.id : null,
    JSON.stringify({ status: "queued", ...r.eventData }), DISPATCH_TASK];
  const a = r.audit ?? { action: "run.create" };
  const auditSql = auditInsertSql(args, r.actor, a.action, { type: "run", idSql: a.targetId ? `$${args.push(a.targetId)}` : "id" }, "run", {
    after: { runId: r.id, deploymentId: r.deploymentId, status: "queued" },
    details: a.details,
  });
  const text = `WITH run AS (
       INSERT INTO "Run" (id, "deploymentId", "workflowVersionId", status, inputs, "webhookUrl", "idempotencyKey", "requestHash", "createdByKeyId", "createdByUserId")
       VALUES ($1, $2, $3, 'queued', $4::jsonb, $5, $6, $7, $8, $9)
       ON CONFLICT ("deploymentId", "idempotencyKey") DO NOTHING RETURNING id
     ), ev AS (
       INSERT INTO "RunEvent" ("runId", type, data) SELECT id, 'status', $10::jsonb FROM run RETURNING "runId"
     ), aud AS (
       ${auditSql}
     )
     SELECT ${dispatchJobSql("$11", '"runId"')},
            pg_notify('${RUN_CHANNEL}', "runId")
     FROM ev`;
  const res = await pool().query({ name: prepared(text), text, values: args });
  return (res.rowCount ?? 0) > 0;
}

/** (Re-)queue the dispatch job of an existing run; the job key keeps one job per run. */
export async function enqueueDispatch(runId: string): Promise<void> {
  await addJob(pool(), { task: DISPATCH_TASK, payload: { runId }, jobKey: runId, maxAttempts: 25 });
}

async function findIdempotent(deploymentId: string, key: string, requestHash: string): Promise<string | null> {
  const run = await db().run.findUnique({ where: { deploymentId_idempotencyKey: { deploymentId, idempotencyKey: key } } });
  if (!run) return null;
  if (Date.now() - run.createdAt.getTime() > 24 * 3600_000) {
    // Keys are remembered for 24 h; an older one is released for reuse.
    await db().run.update({ where: { id: run.id }, data: { idempotencyKey: null } });
    return null;
  }
  if (run.requestHash !== requestHash) {
    throw new ApiError("idempotency_conflict", "This Idempotency-Key was already used with a different request body. Use a new key for a different request.", { runId: run.id });
  }
  return run.id;
}
