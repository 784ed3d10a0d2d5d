// The run engine's settings, read from the environment in one place, once (when the engine is
// loaded), except those documented as read at use (operators and tests change them at runtime).
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const POLL_MS = num("FLOWGATE_POLL_MS", 1000);

export const engineSettings = Object.freeze({
  /** How long a run's lease lasts without a heartbeat (renewed every third of it). */
  leaseMs: num("FLOWGATE_LEASE_MS", 30_000),
  /** Provider status poll interval. */
  pollMs: POLL_MS,
  /** While nothing changes (a run waiting in a provider queue), polls back off up to this interval. */
  maxPollMs: num("FLOWGATE_MAX_POLL_MS", Math.max(POLL_MS, 5000)),
  /** Without a NOTIFY, the run's own status is still re-read this often (a missed notification). */
  statusRecheckMs: num("FLOWGATE_STATUS_RECHECK_MS", 5000),
  /** Consecutive failed status calls that end an attempt. */
  maxStatusFailures: num("FLOWGATE_MAX_STATUS_FAILURES", 5),
  /** Deployments (slots, targets, endpoints) are re-read at most this often. */
  deploymentCacheMs: num("FLOWGATE_DEPLOYMENT_CACHE_MS", 2000),
  /** How often a run waiting for an enabled target looks again. */
  targetRecheckMs: num("FLOWGATE_TARGET_RECHECK_MS", 2000),
});

/** Largest output Flowgate downloads and stores (read at use). */
export const maxOutputBytes = () => num("FLOWGATE_MAX_OUTPUT_BYTES", 512 * 1024 * 1024);
