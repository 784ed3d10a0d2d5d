// The run's lease: a worker drives a run only while it holds it (heartbeated), so a worker that dies
// leaves a lease that expires and another worker resumes the same provider job.
import { pool } from "@/lib/db";
import { engineSettings } from "../settings";

const { leaseMs } = engineSettings;

/** SQL: the run (`runRef`, e.g. `"Run".id`) has a live attempt. A run that ended (cancel, timeout)
 *  while its attempt was live still needs a worker to stop that attempt. */
export const hasActiveAttempt = (runRef: string) =>
  `EXISTS (SELECT 1 FROM "RunAttempt" a WHERE a."runId" = ${runRef} AND a.status IN ('pending','submitted','running'))`;

const LEASABLE = `(status NOT IN ('succeeded','failed','canceled','timed_out') OR ${hasActiveAttempt('"Run".id')})
       AND ("leaseOwner" IS NULL OR "leaseOwner" = $2 OR "leaseExpiresAt" < now())`;

export async function acquireLease(runId: string, workerId: string): Promise<boolean> {
  const r = await pool().query(
    `UPDATE "Run" SET "leaseOwner" = $2, "leaseExpiresAt" = now() + ($3 || ' milliseconds')::interval
     WHERE id = $1 AND ${LEASABLE}
     RETURNING id`,
    [runId, workerId, String(leaseMs)],
  );
  return (r.rowCount ?? 0) > 0;
}

/** The run's row as the lease statement returns it, with how many attempts it has. */
export type LeasedRow = Record<string, unknown> & { id: string; attemptCount: number };

/**
 * Lease requests of one worker made in the same tick (a burst of dispatch jobs handed over
 * together) share ONE statement, which also returns each run's row: a fresh run needs no second
 * read before its first attempt. Resolves null for a run another worker holds (or that ended).
 */
class LeaseBatch {
  private waiting = new Map<string, { resolve: (r: LeasedRow | null) => void; reject: (e: unknown) => void }[]>();
  private scheduled = false;
  constructor(private workerId: string) {}

  acquire(runId: string): Promise<LeasedRow | null> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(runId) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(runId, list);
      if (!this.scheduled) (this.scheduled = true), setImmediate(() => void this.flush());
    });
  }

  private async flush() {
    const batch = this.waiting;
    this.waiting = new Map();
    this.scheduled = false;
    try {
      const r = await pool().query<LeasedRow>({
        name: "fg_lease_batch",
        text: `UPDATE "Run" SET "leaseOwner" = $2, "leaseExpiresAt" = now() + ($3 || ' milliseconds')::interval
         WHERE id = ANY($1) AND ${LEASABLE}
         RETURNING "Run".*, (SELECT count(*)::int FROM "RunAttempt" a WHERE a."runId" = "Run".id) AS "attemptCount"`,
        values: [[...batch.keys()], this.workerId, String(leaseMs)],
      });
      const rows = new Map(r.rows.map((row) => [row.id, row]));
      for (const [id, list] of batch) list.forEach((w, i) => w.resolve(i === 0 ? (rows.get(id) ?? null) : null));
    } catch (err) {
      for (const list of batch.values()) for (const w of list) w.reject(err);
    }
  }
}
const batches = new Map<string, LeaseBatch>();

/** Take the run's lease (batched with the other lease requests of this tick); the run's row, or null. */
export function acquireLeaseWithRow(runId: string, workerId: string): Promise<LeasedRow | null> {
  let b = batches.get(workerId);
  if (!b) batches.set(workerId, (b = new LeaseBatch(workerId)));
  return b.acquire(runId);
}

export async function releaseLease(runId: string, workerId: string) {
  await pool().query(`UPDATE "Run" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL WHERE id = $1 AND "leaseOwner" = $2`, [runId, workerId]);
}

/**
 * One heartbeat per worker for every lease it holds: a single UPDATE renews them all, and a run
 * missing from its result has lost its lease (another worker took over after a stall).
 */
class LeaseKeeper {
  private held = new Map<string, { lost: boolean }>();
  private timer: NodeJS.Timeout | null = null;
  constructor(private workerId: string) {}

  hold(runId: string): HeldLease {
    const entry = { lost: false };
    this.held.set(runId, entry);
    this.timer ??= setInterval(() => void this.renew().catch(() => {}), Math.max(1000, leaseMs / 3));
    return {
      lost: () => entry.lost,
      release: () => {
        if (this.held.get(runId) === entry) this.held.delete(runId);
        if (!this.held.size && this.timer) (clearInterval(this.timer), (this.timer = null));
      },
    };
  }

  private async renew() {
    const ids = [...this.held.keys()];
    if (!ids.length) return;
    const r = await pool().query<{ id: string }>(
      `UPDATE "Run" SET "leaseExpiresAt" = now() + ($3 || ' milliseconds')::interval WHERE id = ANY($1) AND "leaseOwner" = $2 RETURNING id`,
      [ids, this.workerId, String(leaseMs)],
    );
    const renewed = new Set(r.rows.map((x) => x.id));
    for (const id of ids) if (!renewed.has(id)) { const e = this.held.get(id); if (e) e.lost = true; }
  }
}

export interface HeldLease {
  lost: () => boolean;
  /** Stop renewing (in memory only; `releaseLease` gives the row up). */
  release: () => void;
}

const keepers = new Map<string, LeaseKeeper>();

/** Start heartbeating the run's lease for this worker. */
export function holdLease(runId: string, workerId: string): HeldLease {
  let keeper = keepers.get(workerId);
  if (!keeper) keepers.set(workerId, (keeper = new LeaseKeeper(workerId)));
  return keeper.hold(runId);
}
