// Reading what the engine decides on: the run with its attempts, and its deployment (shared).
import { db, pool } from "@/lib/db";
import { Prisma, type Endpoint } from "@/lib/generated/prisma/client";
import { engineSettings } from "../settings";
import { isTerminal } from "../status";

/** A run with its attempts, and its deployment (shared, read-only: see `loadDeployment`). */
export async function loadRun(runId: string) {
  const run = await db().run.findUnique({ where: { id: runId }, include: { attempts: { orderBy: { number: "asc" } } } });
  if (!run) return null;
  return { ...run, deployment: await loadDeployment(run.deploymentId) };
}
export type Loaded = NonNullable<Awaited<ReturnType<typeof loadRun>>>;

/**
 * The run from the row its lease statement returned (`RETURNING "Run".*`), when it has no attempts
 * yet (a fresh run: the common case in a burst); null otherwise (the caller reads it in full).
 * pg reads the columns as Prisma does except the numeric cost, which comes back as text.
 */
export async function runFromLeasedRow(row: Record<string, unknown> & { attemptCount: number }): Promise<Loaded | null> {
  if (row.attemptCount !== 0) return null;
  const { attemptCount: _count, ...cols } = row;
  const run = { ...(cols as unknown as Omit<Loaded, "deployment" | "attempts">), costUsd: new Prisma.Decimal(String(cols.costUsd ?? 0)) };
  return { ...run, attempts: [], deployment: await loadDeployment(run.deploymentId) };
}

/** The run's own status and progress: one small query for a plain poll tick. */
export async function loadRunStatus(runId: string) {
  const r = await pool().query<{ status: Loaded["status"]; progress: Loaded["progress"] }>(`SELECT status, progress FROM "Run" WHERE id = $1`, [runId]);
  return r.rows[0] ?? null;
}

function fetchDeployment(id: string) {
  return db().deployment.findUniqueOrThrow({
    where: { id },
    include: { slots: { orderBy: { position: "asc" } }, targets: { include: { endpoint: true }, orderBy: { priority: "asc" } } },
  });
}
type LoadedDeployment = Awaited<ReturnType<typeof fetchDeployment>>;

/**
 * Deployments (slots, targets, endpoints) are shared by every run of the deployment this worker
 * drives and re-read at most every FLOWGATE_DEPLOYMENT_CACHE_MS: thousands of runs in flight hold
 * one copy, and a disabled endpoint or a new target reaches the engine within that time.
 */
const deployments = new Map<string, { at: number; value: Promise<LoadedDeployment> }>();
function loadDeployment(id: string): Promise<LoadedDeployment> {
  const ttl = engineSettings.deploymentCacheMs;
  const now = Date.now();
  const hit = deployments.get(id);
  if (hit && now - hit.at < ttl) return hit.value;
  for (const [k, v] of deployments) if (now - v.at >= ttl) deployments.delete(k);
  const value = fetchDeployment(id);
  deployments.set(id, { at: now, value });
  value.catch(() => deployments.delete(id));
  return value;
}

/** The endpoint of each live attempt (a target's, else read: the target may have been removed since). */
export async function attemptEndpoints(run: Loaded, attempts: Loaded["attempts"]): Promise<Map<string, Endpoint>> {
  const endpoints = new Map<string, Endpoint>();
  for (const a of attempts) {
    const ep = run.deployment.targets.find((t) => t.endpointId === a.endpointId)?.endpoint ?? (await db().endpoint.findUnique({ where: { id: a.endpointId } }));
    if (!ep) throw new Error(`attempt ${a.id} points at a missing endpoint`);
    endpoints.set(a.id, ep);
  }
  return endpoints;
}

/**
 * The run as the drive loop sees it. The full run (deployment, targets, attempts) is reloaded after
 * anything that changed attempts (`fresh`); a plain poll tick reuses it and only re-reads the run's
 * own status and progress — when a NOTIFY woke the loop, or every `recheckMs` in case one was missed.
 */
export class RunReader {
  private statusReadAt = 0;
  private seeded = false;
  constructor(
    private runId: string,
    private recheckMs: number,
    /** The run as its lease statement returned it (a fresh run), used by the first read. */
    private cached: Loaded | null = null,
  ) {
    if (cached) (this.seeded = true), (this.statusReadAt = Date.now());
  }

  async read(opts: { fresh: boolean; woken: boolean }): Promise<Loaded | null> {
    if (this.seeded) {
      this.seeded = false;
      return this.cached;
    }
    if (opts.fresh || !this.cached) return this.reload();
    // Nothing said the run changed (a cancel or another worker's finish NOTIFYs and wakes us).
    if (!opts.woken && Date.now() - this.statusReadAt < this.recheckMs) return this.cached;
    this.statusReadAt = Date.now();
    const fresh = await loadRunStatus(this.runId);
    if (!fresh) return null;
    this.cached.status = fresh.status;
    this.cached.progress = fresh.progress;
    // Ended meanwhile (cancel, or another worker finished it): act on fresh attempts, not cached ones.
    if (isTerminal(fresh.status)) return this.reload();
    return this.cached;
  }

  private async reload() {
    this.cached = await loadRun(this.runId);
    this.statusReadAt = Date.now();
    return this.cached;
  }
}
