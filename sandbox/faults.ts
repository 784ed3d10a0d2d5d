// Fault knobs shared by every sandbox personality. Settable from CLI flags at start and from
// `POST /__sandbox/faults` (JSON, camelCase or kebab-case keys) while running.

export interface Faults {
  /** Total simulated execution time of one prompt (sampler steps get most of it). */
  execMs: number;
  /** Extra delay before the first prompt after boot / restart / idle (model loading, serverless cold start). */
  coldStartMs: number;
  /** After start, answer 503 (not ready) for this long. */
  slowBootMs: number;
  /** Probability an accepted prompt ends with execution_error. */
  failRate: number;
  /** Probability the server dies mid-run (queue + history gone, sockets drop, back after crashDownMs). */
  crashRate: number;
  /** Probability the server restarts right after accepting a prompt (queue + history wiped). */
  restartRate: number;
  /** How long the process stays down after a crash / restart. */
  crashDownMs: number;
  /** Jobs never leave the queue. */
  stuck: boolean;
  /** WebSocket stays open but sends nothing. */
  wsStall: boolean;
  /** WebSocket of the submitting client is dropped at execution start. */
  wsDrop: boolean;
  /** Prompts with several outputs are accepted with node_errors for one of them. */
  partialErrors: boolean;
  /** Probability an HTTP request answers 5xx. */
  httpErrorRate: number;
  /** Added to every HTTP response. */
  latencyMs: number;
  /** History / results are forgotten this long after completion (0 = never). */
  resultTtlS: number;
  /** Request bodies above this are refused with 413. */
  payloadLimitMb: number;
  /** Model file names must be in the node definitions' lists. */
  strictModels: boolean;
}

export const defaultFaults: Faults = {
  execMs: 1500,
  coldStartMs: 0,
  slowBootMs: 0,
  failRate: 0,
  crashRate: 0,
  restartRate: 0,
  crashDownMs: 300,
  stuck: false,
  wsStall: false,
  wsDrop: false,
  partialErrors: false,
  httpErrorRate: 0,
  latencyMs: 0,
  resultTtlS: 0,
  payloadLimitMb: 100,
  strictModels: false,
};

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Accepts `{execMs: 10}` or `{"exec-ms": "10"}`; unknown keys are an error so typos are loud. */
export function parseFaults(input: Record<string, unknown>): Partial<Faults> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, raw] of Object.entries(input)) {
    const key = camel(rawKey) as keyof Faults;
    if (!(key in defaultFaults)) throw new Error(`unknown fault knob "${rawKey}" (known: ${Object.keys(defaultFaults).map(kebab).join(", ")})`);
    const def = defaultFaults[key];
    if (typeof def === "boolean") out[key] = raw === true || raw === "true" || raw === "1" || raw === 1 || raw === "";
    else {
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0) throw new Error(`fault knob "${rawKey}" needs a non-negative number, got ${JSON.stringify(raw)}`);
      out[key] = n;
    }
  }
  return out as Partial<Faults>;
}

export const faultFlagNames = Object.keys(defaultFaults).map(kebab);
