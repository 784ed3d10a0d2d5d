import { describe, expect, it } from "vitest";
import { HEALTH_LAG_POLICY as P, healthVerdict } from "./health-verdict";

const facts = (over: Partial<Parameters<typeof healthVerdict>[0]> = {}) => ({ ok: false, code: "timeout", lagMs: 0, rechecks: 0, deferredMs: 0, ...over });

describe("healthVerdict: lag in, verdict out", () => {
  it("records a healthy check at any lag", () => {
    for (const lagMs of [0, 199, 200, 5000]) expect(healthVerdict(facts({ ok: true, code: undefined, lagMs }))).toMatchObject({ kind: "record" });
  });

  it("records a failed check while the event loop is on time", () => {
    expect(healthVerdict(facts({ lagMs: 0 }))).toEqual({ kind: "record", starved: false });
    expect(healthVerdict(facts({ lagMs: P.starvedLagMs - 1 }))).toEqual({ kind: "record", starved: false });
  });

  it("records a definite failure (refused, HTTP error, no code) even while starved", () => {
    for (const code of ["unreachable", "provider_unavailable", "auth_rejected", "not_found", undefined]) {
      expect(healthVerdict(facts({ code, lagMs: 3000 }))).toEqual({ kind: "record", starved: true });
    }
  });

  it("re-checks a timeout while starved, with a timeout widened by the lag and a pause", () => {
    expect(healthVerdict(facts({ lagMs: P.starvedLagMs }))).toEqual({ kind: "recheck", timeoutMs: P.baseTimeoutMs + 2 * P.starvedLagMs, pauseMs: P.starvedLagMs });
    expect(healthVerdict(facts({ lagMs: 1500, rechecks: 1 }))).toEqual({ kind: "recheck", timeoutMs: 13_000, pauseMs: 1500 });
    // capped
    expect(healthVerdict(facts({ lagMs: 100_000 }))).toEqual({ kind: "recheck", timeoutMs: P.maxTimeoutMs, pauseMs: P.maxPauseMs });
  });

  it("calls a timeout that stays starved after its re-checks inconclusive, not down", () => {
    expect(healthVerdict(facts({ lagMs: 800, rechecks: P.maxRechecks }))).toEqual({ kind: "inconclusive" });
    expect(healthVerdict(facts({ lagMs: 800, rechecks: P.maxRechecks, deferredMs: P.maxDeferMs - 1 }))).toEqual({ kind: "inconclusive" });
  });

  it("stops deferring after maxDeferMs: a backend that keeps timing out is recorded down", () => {
    expect(healthVerdict(facts({ lagMs: 800, rechecks: P.maxRechecks, deferredMs: P.maxDeferMs }))).toEqual({ kind: "record", starved: true });
  });
});
