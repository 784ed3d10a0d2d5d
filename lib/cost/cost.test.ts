// Cost arithmetic per provider against hand-computed cases.
import { describe, expect, it } from "vitest";
import { attemptCost, billedMs, capacityCostUsd } from "./index";
import { defaultPrice } from "./prices";

describe("serverless (RunPod, RunComfy): cold start + execution, per second rounded up", () => {
  it("bills 4.2 s cold start + 10.3 s execution as 15 s, the cold start priced on its own", () => {
    // RTX 4090 flex: $0.00031/s = $1.116/h. 15 s × $0.00031 = $0.00465; cold start 4.2 s × $0.00031 = $0.001302.
    const c = attemptCost({ provider: "runpod", coldStartMs: 4200, executionMs: 10_300, queueMs: 9000, uploadMs: 800, downloadMs: 300 }, 1.116);
    expect(c.billedMs).toBe(15_000);
    expect(c.totalUsd).toBeCloseTo(0.00465, 6);
    expect(c.phases.coldStart).toBeCloseTo(0.001302, 6);
    expect(c.phases.execution).toBeCloseTo(0.003348, 6);
    expect(c.phases.queue + c.phases.upload + c.phases.download).toBe(0);
    expect(c.phases.coldStart + c.phases.execution).toBeCloseTo(c.totalUsd, 6);
  });
  it("RunComfy bills the same way", () => {
    // A100 2X-Large $4.99/h: 2.0 s + 7.01 s → 10 s = $0.013861.
    expect(attemptCost({ provider: "runcomfy", coldStartMs: 2000, executionMs: 7010 }, 4.99).totalUsd).toBeCloseTo(0.013861, 6);
  });
  it("a failed attempt costs what it ran, and the run pays both attempts", () => {
    // $3.60/h = $0.001/s. Failed after 2.5 s → 3 s; the retry 0.5 s cold + 2 s → 3 s. Run = $0.006.
    const failed = attemptCost({ provider: "runpod", executionMs: 2500 }, 3.6);
    const retry = attemptCost({ provider: "runpod", coldStartMs: 500, executionMs: 2000 }, 3.6);
    expect(failed.totalUsd).toBeCloseTo(0.003, 6);
    expect(retry.totalUsd).toBeCloseTo(0.003, 6);
    expect(failed.totalUsd + retry.totalUsd).toBeCloseTo(0.006, 6);
  });
  it("a hedge that lost after running 1.2 s is billed 2 s; one cancelled before it started costs nothing", () => {
    expect(attemptCost({ provider: "runpod", executionMs: 1200 }, 3.6).totalUsd).toBeCloseTo(0.002, 6);
    expect(attemptCost({ provider: "runpod", executionMs: null, coldStartMs: null }, 3.6).totalUsd).toBe(0);
  });
  it("a cached re-run that executes nothing costs ~0", () => {
    expect(attemptCost({ provider: "runpod", executionMs: 0 }, 1.116).totalUsd).toBe(0);
    expect(attemptCost({ provider: "runpod", executionMs: 40 }, 1.116).totalUsd).toBeCloseTo(0.00031, 6);
  });
  it("no price: no cost, but the billed time is still known", () => {
    const c = attemptCost({ provider: "runpod", executionMs: 1000 }, null);
    expect(c.totalUsd).toBe(0);
    expect(c.billedMs).toBe(1000);
  });
});

describe("dedicated ComfyUI server: hourly, busy or idle", () => {
  it("charges a run its execution only (no cold start, no rounding)", () => {
    // $3.60/h: 12.345 s busy = $0.012345.
    const c = attemptCost({ provider: "comfyui", coldStartMs: 5000, executionMs: 12_345 }, 3.6);
    expect(billedMs({ provider: "comfyui", coldStartMs: 5000, executionMs: 12_345 })).toBe(12_345);
    expect(c.totalUsd).toBeCloseTo(0.012345, 6);
    expect(c.phases.execution).toBeCloseTo(0.012345, 6);
    expect(c.phases.coldStart).toBe(0);
  });
  it("a 10-hour window at $3.60/h costs $36: with 1 h of executions, $32.40 is idle (10 % utilisation)", () => {
    const from = new Date("2026-11-30T00:00:00Z");
    const to = new Date("2026-11-30T10:00:00Z");
    const { capacityUsd, hours } = capacityCostUsd("comfyui", [{ from: new Date("2026-11-01T00:00:00Z"), pricePerHourUsd: 3.6, workersMin: 0 }], from, to);
    expect(hours).toBe(10);
    expect(capacityUsd).toBe(36);
    const busy = attemptCost({ provider: "comfyui", executionMs: 3_600_000 }, 3.6).totalUsd;
    expect(busy).toBe(3.6);
    expect(capacityUsd - busy).toBeCloseTo(32.4, 6);
    expect(busy / capacityUsd).toBeCloseTo(0.1, 6);
  });
  it("a price change mid-period prices each hour at the price then in force", () => {
    // $2/h for 00:00–06:00 and $4/h for 06:00–12:00: 6 × 2 + 6 × 4 = $36.
    const prices = [
      { from: new Date("2026-11-30T00:00:00Z"), pricePerHourUsd: 2, workersMin: 0 },
      { from: new Date("2026-11-30T06:00:00Z"), pricePerHourUsd: 4, workersMin: 0 },
    ];
    expect(capacityCostUsd("comfyui", prices, new Date("2026-11-30T00:00:00Z"), new Date("2026-11-30T12:00:00Z")).capacityUsd).toBe(36);
    // Before the endpoint existed nothing is counted: from 22:00 the day before still = $36.
    expect(capacityCostUsd("comfyui", prices, new Date("2026-11-29T22:00:00Z"), new Date("2026-11-30T12:00:00Z")).capacityUsd).toBe(36);
  });
});

describe("warm serverless capacity", () => {
  it("2 warm workers for 24 h at $1.116/h cost $53.568; none costs nothing", () => {
    const day = [new Date("2026-11-30T00:00:00Z"), new Date("2026-12-01T00:00:00Z")] as const;
    expect(capacityCostUsd("runpod", [{ from: day[0], pricePerHourUsd: 1.116, workersMin: 2 }], ...day).capacityUsd).toBeCloseTo(53.568, 6);
    expect(capacityCostUsd("runpod", [{ from: day[0], pricePerHourUsd: 1.116, workersMin: 0 }], ...day).capacityUsd).toBe(0);
  });
});

describe("default prices", () => {
  it("has sourced, dated defaults per provider and GPU", () => {
    const p = defaultPrice("runpod", "4090")!;
    expect(p.pricePerHourUsd).toBeCloseTo(1.116, 4);
    expect(p.source).toMatch(/^https:\/\//);
    expect(p.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(defaultPrice("runcomfy", "a100")!.pricePerHourUsd).toBe(4.99);
    expect(defaultPrice("comfyui", "nonexistent")).toBeNull();
  });
});
