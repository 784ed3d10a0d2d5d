// graphile-worker's `add_job`, written once. Every job Flowgate queues goes through here: as a SQL
// expression to embed in a larger statement (so the job commits with the change that causes it:
// the run insert, the outbox, a replay), or as its own statement on a pool or a transaction client.
// Both dispatch and webhook jobs are keyed (one job per run / per delivery: adding again replaces it).

/** The SQL text of each argument: a placeholder (`$3`), a column (`r.id`) or an expression (`now()`). */
export interface AddJobSqlArgs {
  task: string;
  payload: string;
  jobKey?: string;
  runAt?: string;
  maxAttempts: number;
}

/** `graphile_worker.add_job(task, payload, run_at := …, job_key := …, max_attempts := …)` as a SQL expression. */
export function addJobSql(j: AddJobSqlArgs): string {
  const named = [j.runAt && `run_at := ${j.runAt}`, j.jobKey && `job_key := ${j.jobKey}`, `max_attempts := ${j.maxAttempts}`].filter(Boolean);
  return `graphile_worker.add_job(${[j.task, j.payload, ...named].join(", ")})`;
}

/** A run's dispatch job (key = run id, 25 tries). `task` and `runId` are SQL expressions. */
export const dispatchJobSql = (task: string, runId: string) =>
  addJobSql({ task, payload: `json_build_object('runId', ${runId})`, jobKey: runId, maxAttempts: 25 });

/** A webhook delivery's job (key = delivery id, one try: the delivery schedules its own retries). SQL expressions. */
export const webhookJobSql = (task: string, deliveryId: string, runAt?: string) =>
  addJobSql({ task, payload: `json_build_object('deliveryId', ${deliveryId})`, jobKey: deliveryId, runAt, maxAttempts: 1 });

/** Anything with pg's `query(text, values)`: the pool, a pool client inside a transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Add one job as its own statement (on `q`: pass a transaction's client to commit it with the transaction). */
export async function addJob(q: Queryable, job: { task: string; payload: Record<string, unknown>; jobKey?: string; runAt?: Date; maxAttempts: number }): Promise<void> {
  const values: unknown[] = [job.task, JSON.stringify(job.payload)];
  const param = (v: unknown, type: string) => `$${values.push(v)}::${type}`;
  const runAt = job.runAt ? param(job.runAt, "timestamptz") : undefined;
  const jobKey = job.jobKey ? param(job.jobKey, "text") : undefined;
  await q.query(`SELECT ${addJobSql({ task: "$1::text", payload: "$2::json", runAt, jobKey, maxAttempts: job.maxAttempts })}`, values);
}
