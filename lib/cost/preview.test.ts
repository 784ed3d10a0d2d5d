import { describe, expect, it } from "vitest";
import { ESTIMATED_SECONDS_4090, matchGpu, previewCost, RUNPOD_GPUS } from "./preview";

describe("cost preview", () => {
  it("labels every line an estimate when the workflow never ran", () => {
    const p = previewCost([]);
    expect(p.lines).toHaveLength(RUNPOD_GPUS.length);
    expect(new Set(p.lines.map((l) => l.basis))).toEqual(new Set(["estimate"]));
    const l4090 = p.lines.find((l) => l.gpuTypeId === "ADA_24")!;
    expect(l4090.secondsPerRun).toBe(ESTIMATED_SECONDS_4090);
    expect(l4090.costPerRunUsd).toBeCloseTo((12 * 1.1) / 3600, 6);
    expect(l4090.costPer1000Usd).toBeCloseTo(3.67, 2);
  });

  it("uses the median of measured runs on the same GPU, cold starts included, and scales to the others", () => {
    const runs = [8000, 10000, 30000].map((executionMs) => ({ provider: "runpod", gpu: "NVIDIA GeForce RTX 4090", executionMs, coldStartMs: 2000 }));
    const p = previewCost(runs);
    const own = p.lines.find((l) => l.gpuTypeId === "ADA_24")!;
    expect(own).toMatchObject({ basis: "measured", samples: 3, secondsPerRun: 12 });
    expect(own.note).toBe("median of 3 runs on this GPU");
    const h100 = p.lines.find((l) => l.gpuTypeId === "ADA_80_PRO")!;
    expect(h100.basis).toBe("scaled");
    expect(h100.secondsPerRun).toBe(5); // 10 s × 1 / 2, no cold start measured there
    expect(h100.note).toMatch(/scaled from 3 runs on RTX 4090/);
  });

  it("costs always-on workers per day", () => {
    const p = previewCost([], { workersMin: 2 });
    expect(p.idlePerDay.find((x) => x.gpuTypeId === "ADA_24")).toEqual({ gpuTypeId: "ADA_24", workersMin: 2, usdPerDay: 52.8 });
    expect(previewCost([]).idlePerDay.every((x) => x.usdPerDay === 0)).toBe(true);
  });

  it("recognises registered GPU names", () => {
    expect(matchGpu("RTX 4090")?.gpuTypeId).toBe("ADA_24");
    expect(matchGpu("ADA_80_PRO")?.gpuTypeId).toBe("ADA_80_PRO");
    expect(matchGpu("NVIDIA A100-SXM4-80GB")?.gpuTypeId).toBe("AMPERE_80");
    expect(matchGpu("TPU v5")).toBeUndefined();
    expect(matchGpu(null)).toBeUndefined();
  });
});
