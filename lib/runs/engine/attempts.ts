// Attempt effects: record, submit, resume, end (failed/lost/canceled/timed out) and complete an
// attempt. Every write that ends an attempt is conditional on it still being live, and writes what
// it causes (cost on the run, event, the run's own terminal change) in the same transaction.
import { db, pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { getProvider } from "@/lib/providers/registry";
import { ProviderError, type ProviderStatus } from "@/lib/providers/types";
import { toTarget } from "@/lib/endpoints/target";
import { attemptCost, type AttemptCost } from "@/lib/cost";
import type { Endpoint, RunAttempt } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordEvent, transition, type TransitionPatch } from "../events";
import { allowedFrom, isTerminal } from "../status";
import { RUN_CHANNEL } from "../channel";
import { withEndpointSlot } from "./limit";
import { providerWebhookUrl } from "../provider-webhook";
import { hasActiveAttempt } from "./lease";
import { buildPrompt, resolvedPrompt, type BuiltPrompt } from "./prompt";
import { storeOutputs } from "./outputs";
import { pgTransaction as withTx } from "@/lib/db/pg-transaction";
import { failsRun, isOnCall } from "./decide";
import { clearWaitingForTarget } from "./progress";
import { crashPoint, SimulatedCrash } from "./faults";
import { sleep } from "./wait";
import { classifyDatabaseError } from "@/lib/db/classify-error";
import { Batcher } from "./batch";
import type { Loaded } from "./load";
import { flush as traceFlush, mark as traceMark } from "@/lib/trace";
import { eventLoopLagMs } from "./lag";

type Log = ReturnType<typeof log.child>;

/** HTTP answers that mean the provider refused a request before doing any of it. */
const REFUSED_STATUSES = new Set([429, 502, 503]);

export function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  return new ProviderError("retryable", "provider_call_failed", err instanceof Error ? err.message : String(err), { cause: err });
}


type AttemptRow = Omit<RunAttempt, "costUsd" | "pricePerHourUsd"> & { costUsd: string; pricePerHourUsd: string | null };
interface AttemptInsert {
  id: string;
  runId: string;
  number: number;
  endpointId: string;
  provider: string;
  workerId: string;
  hedge: boolean;
  dispatching: string | null;
  resolvedInputs: string | null;
}

/**
 * Attempt inserts of one tick (a burst's leased runs reach their first submit together) share ONE
 * statement; each row carries its own conditions, exactly as a lone insert would check them.
 */
const attemptInserts = new Batcher<AttemptInsert, AttemptRow | null>(
  async (rows) => {
    const col = <K extends keyof AttemptInsert>(k: K) => rows.map((x) => x[k]);
    // RETURNING * instead of a second read on the submit path: pg reads the columns as Prisma does
    // (text, int, enum, timestamptz as Date, NULL) except the numeric cost, which comes back as text.
    // The endpoint's price now is the attempt's price (lib/cost): a later change never re-prices it.
    const r = await pool().query<AttemptRow & { notified: unknown }>({
      name: "fg_insert_attempts",
      text: `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::jsonb[], $9::jsonb[])
           AS t(id, "runId", number, "endpointId", provider, "workerId", hedge, ev, resolved)
       ), ins AS (
         INSERT INTO "RunAttempt" (id, "runId", number, "endpointId", provider, status, "pricePerHourUsd")
         SELECT i.id, i."runId", i.number, i."endpointId", i.provider, 'pending', (SELECT "pricePerHourUsd" FROM "Endpoint" WHERE id = i."endpointId")
         FROM input i JOIN "Run" r ON r.id = i."runId"
         WHERE r."leaseOwner" = i."workerId" AND r."leaseExpiresAt" > now()
           AND (i.hedge OR NOT ${hasActiveAttempt("r.id")})
         ON CONFLICT ("runId", number) DO NOTHING
         RETURNING *
       ), upd AS (
         UPDATE "Run" r SET status = CASE WHEN i.ev IS NOT NULL AND r.status::text = ANY($10::text[]) THEN 'dispatching'::"RunStatus" ELSE r.status END,
                            "resolvedInputs" = COALESCE(r."resolvedInputs", i.resolved)
         FROM ins JOIN input i ON i.id = ins.id
         WHERE r.id = ins."runId"
           AND ((i.ev IS NOT NULL AND r.status::text = ANY($10::text[])) OR (i.resolved IS NOT NULL AND r."resolvedInputs" IS NULL))
         RETURNING r.id, r.status::text AS status, i.ev
       ), ev AS (
         INSERT INTO "RunEvent" ("runId", type, data) SELECT id, 'status', ev FROM upd WHERE ev IS NOT NULL AND status = 'dispatching' RETURNING "runId"
       )
       SELECT ins.*, (SELECT count(*) FROM (SELECT pg_notify('${RUN_CHANNEL}', "runId") FROM ev) n) AS notified FROM ins`,
      values: [col("id"), col("runId"), col("number"), col("endpointId"), col("provider"), col("workerId"), col("hedge"), col("dispatching"), col("resolvedInputs"), allowedFrom("dispatching")],
    });
    const byId = new Map(r.rows.map(({ notified: _n, ...row }) => [row.id, row as AttemptRow]));
    return rows.map((x) => byId.get(x.id) ?? null);
  },
  { maxInFlight: 2, maxBatch: 200 },
);

/**
 * Insert an attempt only while this worker holds the run's lease and (unless hedging) no other
 * attempt is live, in one statement: a worker that lost its lease, or two drivers racing after a
 * hand-over, can never start a second attempt next to a live one. The same statement (one round
 * trip, shared with the other inserts of this tick) moves the run to `dispatching` with its event
 * and NOTIFY (`dispatching`, as `transition()` would: only from queued / dispatching) and records
 * the run's resolved inputs (`resolvedInputs`, the seeds drawn; only if none are recorded yet) —
 * all only if the attempt was inserted.
 */
export async function insertAttempt(
  runId: string,
  id: string,
  number: number,
  endpoint: Endpoint,
  workerId: string,
  hedge: boolean,
  also: { dispatching?: Record<string, unknown>; resolvedInputs?: Record<string, unknown> | null } = {},
): Promise<RunAttempt | null> {
  const row = await attemptInserts.call(runId, {
    id, runId, number, endpointId: endpoint.id, provider: endpoint.provider, workerId, hedge,
    dispatching: also.dispatching ? JSON.stringify({ status: "dispatching", ...also.dispatching }) : null,
    resolvedInputs: also.resolvedInputs ? JSON.stringify(also.resolvedInputs) : null,
  });
  if (!row) return null;
  return { ...row, costUsd: new Prisma.Decimal(row.costUsd), pricePerHourUsd: row.pricePerHourUsd === null ? null : new Prisma.Decimal(row.pricePerHourUsd) };
}

interface SubmitRecord {
  attemptId: string;
  runId: string;
  providerJobId: string;
  submittedAt: Date;
  uploadMs: number;
  event: string;
}

/** Record accepted submits (one statement for all the rows). */
async function writeSubmitted(rows: SubmitRecord[]): Promise<({ moved: boolean } | null)[]> {
  const col = <K extends keyof SubmitRecord>(k: K) => rows.map((x) => x[k]);
  const r = await pool().query<{ id: string; moved: boolean }>({
    name: "fg_record_submitted_batch",
    text: `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::jsonb[]) AS t(id, "runId", job, at, upload, ev)
     ), att AS (
       UPDATE "RunAttempt" a SET "providerJobId" = i.job, status = 'submitted', "submittedAt" = i.at, "uploadMs" = i.upload
       FROM input i WHERE a.id = i.id AND a."runId" = i."runId" AND a.status = 'pending' RETURNING a.id, a."runId"
     ), upd AS (
       UPDATE "Run" r SET status = 'submitted' FROM att WHERE r.id = att."runId" AND r.status::text = ANY($7::text[]) RETURNING r.id
     ), ev AS (
       INSERT INTO "RunEvent" ("runId", type, data) SELECT upd.id, 'status', i.ev FROM upd JOIN input i ON i."runId" = upd.id RETURNING "runId"
     )
     SELECT att.id, EXISTS (SELECT 1 FROM ev WHERE ev."runId" = att."runId") AS moved,
            (SELECT count(*) FROM (SELECT pg_notify('${RUN_CHANNEL}', "runId") FROM ev) n) AS notified
     FROM att`,
    values: [col("attemptId"), col("runId"), col("providerJobId"), col("submittedAt"), col("uploadMs"), col("event"), allowedFrom("submitted")],
  });
  const byId = new Map(r.rows.map((x) => [x.id, { moved: x.moved }]));
  return rows.map((x) => byId.get(x.attemptId) ?? null);
}
/** Accepted submits that land while the previous statement is in flight share the next one. */
const submitRecords = new Batcher<SubmitRecord, { moved: boolean } | null>(writeSubmitted, { maxInFlight: 2, maxBatch: 200 });

/**
 * Record an accepted submit and move the run to `submitted` (event, NOTIFY) in one statement — only
 * from pending: an attempt someone else already ended must never come back to life. Null when the
 * attempt was not pending any more; else whether the run's status moved.
 */
function recordSubmitted(runId: string, attempt: RunAttempt, s: { providerJobId: string; submittedAt: Date; uploadMs: number }, immediate: boolean): Promise<{ moved: boolean } | null> {
  const rec: SubmitRecord = {
    attemptId: attempt.id,
    runId,
    providerJobId: s.providerJobId,
    submittedAt: s.submittedAt,
    uploadMs: s.uploadMs,
    event: JSON.stringify({ status: "submitted", attempt: attempt.number, providerJobId: s.providerJobId }),
  };
  // A provider without idempotent submits (RunPod) runs a job twice if this worker dies before the
  // id is written: write it at once rather than wait for the group's next statement (bench:kill).
  return immediate ? submitRecords.now(rec) : submitRecords.call(runId, rec);
}

/**
 * The provider accepted the job: its id is only in memory until this write lands. While the
 * database is down (a restart, a failover) keep trying for up to RECORD_RETRY_MS rather than
 * dropping the id — a dropped id becomes a pending attempt the next driver marks lost and runs
 * again (on RunPod, which has no idempotent submit, a second GPU job: bench:kill counted 15 in one
 * run before this). The write stays conditional on the attempt still being pending, so a takeover
 * meanwhile simply refuses it.
 */
const RECORD_RETRY_MS = Number(process.env.FLOWGATE_RECORD_RETRY_MS ?? 30_000);
async function recordSubmittedDurably(runId: string, attempt: RunAttempt, s: { providerJobId: string; submittedAt: Date; uploadMs: number }, immediate: boolean, l: Log) {
  const until = Date.now() + RECORD_RETRY_MS;
  for (let wait = 250; ; wait = Math.min(wait * 2, 2000)) {
    try {
      return await recordSubmitted(runId, attempt, s, immediate);
    } catch (err) {
      if (classifyDatabaseError(err)?.kind !== "down" || Date.now() + wait > until) throw err;
      l.warn("database unavailable while recording an accepted submit; retrying", { attempt: attempt.number, providerJobId: s.providerJobId });
      await sleep(wait);
    }
  }
}

export async function resumePendingAttempt(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, l: Log) {
  const provider = getProvider(endpoint.provider);
  if (provider.capabilities(toTarget(endpoint)).idempotentSubmit) {
    l.info("resubmitting a pending attempt (the provider dedupes by our job id)", { attempt: attempt.number });
    await submitAttempt(run, attempt, endpoint, l, { resume: true });
  } else {
    const error = { code: "submit_interrupted", message: "A worker stopped while submitting this attempt; it may have reached the provider once. Retrying on a new attempt." };
    // The attempt's end and its event: one transaction.
    await withTx(async (c) => {
      const r = await c.query(`UPDATE "RunAttempt" SET status = 'lost', "finishedAt" = now(), error = $2::jsonb WHERE id = $1 AND status = 'pending'`, [attempt.id, JSON.stringify(error)]);
      if (!r.rowCount) return; // another worker moved it on meanwhile; the caller reloads
      await recordEvent(run.id, "attempt", { attempt: attempt.number, status: "lost", possibleDuplicate: true }, c);
    });
  }
}


/** Submit and record the attempt; true when the provider accepted it (the cached run is updated). */
export async function submitAttempt(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, l: Log, opts: { resume: boolean; built?: BuiltPrompt | null }): Promise<boolean> {
  const started = Date.now();
  try {
    // Built (and its resolved inputs recorded) with the attempt's insert, or here.
    const { prompt, images } = opts.built ?? (await resolvedPrompt(run));
    const provider = getProvider(endpoint.provider);
    const target = toTarget(endpoint);
    const job = { runId: run.id, attemptId: attempt.id, prompt, images, webhookUrl: providerWebhookUrl(attempt.id), resume: opts.resume };
    // A transient error (a 5xx, a dropped connection) is retried within the attempt instead of
    // spending a whole attempt on it — by a provider that dedupes by our job id for any transient
    // error, by one that cannot only when its answer says it refused the request before doing
    // anything (429, 502, 503), so a retry can never start the job twice.
    const idempotent = provider.capabilities(target).idempotentSubmit;
    let providerJobId = "";
    for (let i = 1; ; i++) {
      try {
        // A retry looks first: the failed try may have reached the provider after all.
        // Parallel across runs, bounded per endpoint.
        traceMark(attempt.id, "slotWait");
        ({ providerJobId } = await withEndpointSlot(endpoint.id, () => (traceMark(attempt.id, "slot"), provider.submit(target, { ...job, resume: job.resume || i > 1 }, { signal: AbortSignal.timeout(120_000) }))));
        traceMark(attempt.id, "accepted");
        break;
      } catch (err) {
        if (err instanceof SimulatedCrash) throw err;
        const pe = asProviderError(err);
        const refused = REFUSED_STATUSES.has(Number((pe.details as { status?: unknown } | undefined)?.status));
        if (pe.errorClass !== "retryable" || i >= 3 || (!idempotent && !refused)) throw pe;
        await sleep(150 * 2 ** (i - 1) * (0.5 + Math.random()));
      }
    }
    crashPoint("attempt.sent", run.id);
    const submitted = { providerJobId, status: "submitted" as const, submittedAt: new Date(), uploadMs: Date.now() - started };
    // The attempt's submit and the run's move to submitted: one statement.
    const r = await recordSubmittedDurably(run.id, attempt, submitted, !provider.capabilities(target).idempotentSubmit, l);
    traceMark(attempt.id, "recorded");
    traceFlush(attempt.id, { runId: run.id, lagMs: eventLoopLagMs() });
    if (!r) {
      l.warn("attempt changed under us while submitting (another worker); not recording the submit", { attempt: attempt.number });
      return false;
    }
    Object.assign(attempt, submitted);
    if (r.moved) run.status = "submitted";
    l.info("attempt submitted", { attempt: attempt.number, endpointId: endpoint.id, providerJobId });
    crashPoint("attempt.submitted", run.id);
    return true;
  } catch (err) {
    traceFlush(attempt.id, { runId: run.id, failed: true });
    if (err instanceof SimulatedCrash) throw err;
    await finishAttemptWithError(run, attempt, endpoint, asProviderError(err), l);
    return false;
  }
}

export async function finishAttemptWithError(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, err: ProviderError, l: Log) {
  // An attempt lost while someone restarted or purged its endpoint was interrupted by that person,
  // not by the provider on its own: say so (and who), keeping what the provider said in details.
  const oncall = err.errorClass === "final" ? null : await onCallActionDuring(endpoint.id, attempt);
  const error = oncall
    ? {
        code: oncall.code,
        message: `Interrupted by an on-call ${oncall.what} of "${endpoint.name}" by ${oncall.actorName} at ${oncall.at.toISOString()}.`,
        class: err.errorClass,
        details: { auditId: oncall.auditId, action: oncall.action, actor: oncall.actor, providerCode: err.code, providerMessage: err.message },
      }
    : { code: err.code, message: err.message, class: err.errorClass, ...(err.nodeId ? { nodeId: err.nodeId } : {}), ...(err.details ? { details: err.details } : {}) };
  // A final error fails the run in the same transaction that ends the attempt.
  const fail: TransitionPatch | undefined =
    failsRun(err.errorClass)
      ? { finishedAt: true, progress: null, error: { code: err.code, message: err.message, ...(err.nodeId ? { nodeId: err.nodeId } : {}), ...(err.details ? { details: err.details } : {}) } }
      : undefined;
  if (!(await endAttempt(run, attempt, endpoint, err.errorClass === "lost" ? "lost" : "failed", error, fail))) return;
  l.warn("attempt failed", { attempt: attempt.number, endpointId: endpoint.id, class: err.errorClass, code: err.code, message: err.message });
}

/**
 * The latest on-call restart / purge of the endpoint since the attempt was recorded (pending or
 * done, not failed). A purge only drops queued jobs, so it never explains a running attempt's end.
 */
async function onCallActionDuring(endpointId: string, attempt: RunAttempt) {
  const actions = attempt.status === "running" ? ["endpoint.restart"] : ["endpoint.restart", "endpoint.purge-queue"];
  const row = await db().auditLog.findFirst({
    where: { targetType: "endpoint", targetId: endpointId, action: { in: actions }, outcome: { not: "failed" }, createdAt: { gte: attempt.createdAt } },
    orderBy: { createdAt: "desc" },
  });
  if (!row) return null;
  const restart = row.action === "endpoint.restart";
  const name = row.actorName ?? (row.data as { actorName?: string } | null)?.actorName ?? (row.actorType === "system" ? "Flowgate (system)" : `${row.actorType} ${row.actorId}`);
  return {
    code: restart ? "oncall_restart" : "oncall_purge",
    what: restart ? "restart" : "queue purge",
    action: row.action,
    auditId: row.id,
    at: row.createdAt,
    actorName: name,
    actor: { type: row.actorType, id: row.actorId, name },
  };
}

/** Cancel a live attempt at the provider and record it (with the GPU time it used, if it ran). */
export async function stopAttempt(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, status: "canceled" | "timed_out", error?: { code: string; message: string }) {
  if (attempt.providerJobId) {
    await getProvider(endpoint.provider).cancel(toTarget(endpoint), attempt.providerJobId).catch((err: unknown) =>
      log.warn("cancel at provider failed", { runId: run.id, err: err instanceof Error ? err.message : String(err) }),
    );
  }
  await endAttempt(run, attempt, endpoint, status, error);
}

/**
 * Record a live attempt as ended (failed, lost, canceled, timed out) with its execution time and
 * cost, added to the run's. Only an attempt that is still live: never overwrite one another worker
 * already finished. False when it was not live any more. An error is also a run event.
 */
export async function endAttempt(
  run: Loaded,
  attempt: RunAttempt,
  endpoint: Endpoint,
  status: "failed" | "lost" | "canceled" | "timed_out",
  error?: Record<string, unknown>,
  failRun?: TransitionPatch,
): Promise<boolean> {
  const finishedAt = new Date();
  const executionMs = attempt.startedAt ? finishedAt.getTime() - attempt.startedAt.getTime() : null;
  const cost = costOf(endpoint, attempt, { executionMs, coldStartMs: attempt.coldStartMs });
  // The attempt's end, its cost on the run, its event and (a final error) the run's failure: one transaction.
  const ended = await withTx(async (c) => {
    // Locks in one order everywhere (the run, then its attempts), as completeAttempt does: two drivers
    // racing after a hand-over never deadlock.
    await c.query(`SELECT 1 FROM "Run" WHERE id = $1 FOR UPDATE`, [run.id]);
    const r = await c.query(
      `UPDATE "RunAttempt" SET status = $2::"AttemptStatus", "finishedAt" = $3, "executionMs" = $4, "costUsd" = $5, error = COALESCE($6::jsonb, error), ${COST_SETS(7)}
        WHERE id = $1 AND status IN ('pending','submitted','running')`,
      [attempt.id, status, finishedAt, executionMs, cost.totalUsd, error ? JSON.stringify(error) : null, ...costArgs(cost)],
    );
    if (!r.rowCount) return false;
    if (cost.totalUsd > 0) await c.query(`UPDATE "Run" SET "costUsd" = "costUsd" + $2 WHERE id = $1`, [run.id, cost.totalUsd]);
    if (error) await recordEvent(run.id, "attempt", { attempt: attempt.number, status, error }, c);
    if (failRun) await transition(run.id, "failed", failRun, {}, c);
    return true;
  });
  Object.assign(attempt, { status, finishedAt, ...(error ? { error } : {}) });
  return ended;
}

/** The attempt's cost at the price it started with (the endpoint's, for attempts recorded before prices were kept). */
function costOf(endpoint: Endpoint, attempt: RunAttempt, t: { executionMs: number | null; coldStartMs: number | null; queueMs?: number | null; downloadMs?: number | null }) {
  const price = attempt.pricePerHourUsd ?? endpoint.pricePerHourUsd;
  return attemptCost({ provider: endpoint.provider, uploadMs: attempt.uploadMs, ...t }, price === null || price === undefined ? null : Number(price));
}
/** SET list for the cost columns lib/cost splits an attempt into, from argument $n on. */
const COST_SETS = (n: number) =>
  `"billedMs" = $${n}, "pricePerHourUsd" = $${n + 1}, "costQueueUsd" = $${n + 2}, "costColdStartUsd" = $${n + 3}, "costUploadUsd" = $${n + 4}, "costExecutionUsd" = $${n + 5}, "costDownloadUsd" = $${n + 6}`;
const costArgs = (c: AttemptCost) => [c.billedMs, c.pricePerHourUsd, c.phases.queue, c.phases.coldStart, c.phases.upload, c.phases.execution, c.phases.download];


/** True when the run is finished with this attempt (succeeded, or another worker already completed it). */
export async function completeAttempt(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, st: Extract<ProviderStatus, { state: "succeeded" }>, l: Log): Promise<boolean> {
  const t0 = Date.now();
  // Outputs go to storage first; the run is `succeeded` only once every output is safely stored.
  const result = await storeOutputs(run.id, attempt.id, st.outputs, endpoint);
  if ("error" in result) {
    await finishAttemptWithError(run, attempt, endpoint, result.error, l);
    return false;
  }
  const { stored } = result;
  const finishedAt = new Date();
  const executionMs = st.executionMs ?? (attempt.startedAt ? finishedAt.getTime() - attempt.startedAt.getTime() : attempt.submittedAt ? finishedAt.getTime() - attempt.submittedAt.getTime() : 0);
  const queueMs = st.queueMs ?? (attempt.startedAt && attempt.submittedAt ? attempt.startedAt.getTime() - attempt.submittedAt.getTime() : null);
  const cost = costOf(endpoint, attempt, { executionMs, coldStartMs: st.coldStartMs ?? attempt.coldStartMs, queueMs });
  crashPoint("outputs.stored", run.id);
  // Claim the attempt's completion, record its outputs and move the run to succeeded with its cost,
  // event, NOTIFY and webhook job in ONE transaction: if another worker (after a lease hand-over)
  // already completed or stopped it, record nothing twice.
  const claimed = await withTx(async (c) => {
    // One success per run, even with two drivers racing after a lease hand-over (or a hedge and the
    // attempt it hedges finishing together): completions of one run are serialised on its row.
    const locked = await c.query<{ status: string }>(`SELECT status::text AS status FROM "Run" WHERE id = $1 FOR UPDATE`, [run.id]);
    if (!locked.rows[0] || isTerminal(locked.rows[0].status)) return false;
    const already = await c.query(`SELECT 1 FROM "RunAttempt" WHERE "runId" = $1 AND status = 'succeeded' LIMIT 1`, [run.id]);
    if (already.rowCount) return false;
    const won = await c.query(
      `UPDATE "RunAttempt" SET status = 'succeeded', "finishedAt" = $2, "startedAt" = $3, "executionMs" = $4, "queueMs" = $5, "coldStartMs" = $6, "downloadMs" = $7, "costUsd" = $8, ${COST_SETS(9)}
        WHERE id = $1 AND status IN ('pending','submitted','running')`,
      [
        attempt.id,
        finishedAt,
        attempt.startedAt ?? attempt.submittedAt ?? finishedAt,
        executionMs,
        queueMs,
        st.coldStartMs ?? attempt.coldStartMs,
        Date.now() - t0,
        cost.totalUsd,
        ...costArgs(cost),
      ],
    );
    if (!won.rowCount) return false;
    if (stored.length) {
      const col = <K extends keyof (typeof stored)[number]>(k: K) => stored.map((o) => o[k]);
      await c.query(
        `INSERT INTO "RunOutput" (id, "runId", "attemptId", "nodeId", filename, "contentType", kind, "sizeBytes", "storageKey")
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[])`,
        [col("id"), col("runId"), col("attemptId"), col("nodeId"), col("filename"), col("contentType"), col("kind"), col("sizeBytes"), col("storageKey")],
      );
    }
    await transition(run.id, "succeeded", { finishedAt: true, startedAt: true, progress: null, addCostUsd: cost.totalUsd }, { attempt: attempt.number, outputs: stored.length }, c);
    crashPoint("run.succeeded.uncommitted", run.id);
    return true;
  });
  if (!claimed) {
    l.warn("attempt was already finished by another worker; not recording it again", { attempt: attempt.number });
    return false;
  }
  crashPoint("run.succeeded", run.id);
  l.info("run succeeded", { attempt: attempt.number, outputs: stored.length });
  return true;
}

/**
 * Record and submit the next attempt on `endpoint` (chosen by the decision core), after `delayMs`
 * (a retry's backoff). A hedge (`hedgeOf`) races the given live attempt and never fails the run.
 */
export async function startAttempt(
  run: Loaded,
  endpoint: Endpoint,
  workerId: string,
  l: Log,
  opts: { delayMs: number; hedge?: { hedgeOf: RunAttempt; reason: string } },
): Promise<"submitted" | "failed"> {
  const { hedge } = opts;
  const n = run.attempts.length;
  await clearWaitingForTarget(run, endpoint.id);
  if (opts.delayMs > 0) await sleep(opts.delayMs);
  const attemptId = newId("att");
  // The prompt (from the version's cached prompt) is built first so its resolved inputs are recorded
  // with the attempt; if building fails, the attempt is recorded anyway and fails with that error.
  const built = await buildPrompt(run).catch(() => null);
  // Record the attempt before talking to the provider: a crash from here on is recoverable. A first
  // attempt or a retry moves the run to dispatching in the same statement.
  traceMark(attemptId, "insert");
  const attempt = await insertAttempt(run.id, attemptId, n + 1, endpoint, workerId, !!hedge, {
    dispatching: hedge ? undefined : { attempt: n + 1, endpointId: endpoint.id },
    resolvedInputs: built?.record,
  });
  if (!attempt) {
    traceFlush(attemptId, { runId: run.id, notInserted: true });
    l.warn("not starting an attempt: the lease moved to another worker or another attempt is live", { attempt: n + 1 });
    return "failed";
  }
  run.attempts.push(attempt);
  traceMark(attemptId, "inserted");
  crashPoint("attempt.recorded", run.id);
  const previous = run.attempts[n - 1];
  if (!hedge && previous && isOnCall(previous as { error?: { code?: string } | null })) {
    // Finish the interrupted attempt's story: where its run went next.
    const suffix = ` Retried on "${endpoint.name}" as attempt ${n + 1}.`;
    await pool().query(
      `UPDATE "RunAttempt" SET error = jsonb_set(error, '{message}', to_jsonb((error->>'message') || $2::text)) WHERE id = $1 AND position('Retried on' in error->>'message') = 0`,
      [previous.id, suffix],
    );
    const e = previous.error as { message?: string };
    if (e?.message && !e.message.includes("Retried on")) e.message += suffix;
  }
  if (hedge) {
    l.info("hedging a stalled attempt on another endpoint", { attempt: n + 1, hedges: hedge.hedgeOf.number, reason: hedge.reason, endpointId: endpoint.id });
    await recordEvent(run.id, "attempt", { attempt: n + 1, status: "pending", hedgeOf: hedge.hedgeOf.number, reason: hedge.reason, endpointId: endpoint.id });
  }
  if (built?.record) run.resolvedInputs = built.record as Prisma.JsonValue;
  return (await submitAttempt(run, attempt, endpoint, l, { resume: false, built: built && { ...built, record: null } })) ? "submitted" : "failed";
}
