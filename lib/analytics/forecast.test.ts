// The forecast's arithmetic against hand-computed cases.
import { describe, expect, it } from "vitest";
import { forecastWindows, project, whatIfMonthlyUsd } from "./forecast";

describe("forecastWindows", () => {
  it("mid-month: the month, and a 7-day rate window from the hour 7 days back", () => {
    const w = forecastWindows(new Date("2026-06-16T12:30:00Z"));
    expect(w.monthStart.toISOString()).toBe("2026-06-01T00:00:00.000Z");
    expect(w.monthEnd.toISOString()).toBe("2026-07-01T00:00:00.000Z");
    expect(w.daysInMonth).toBe(30);
    expect(w.rateWindowFrom.toISOString()).toBe("2026-06-09T12:00:00.000Z");
    expect(w.costPerRunFrom.toISOString()).toBe("2026-05-17T12:00:00.000Z");
  });
  it("early in the month the rate window is the month so far", () => {
    const w = forecastWindows(new Date("2026-02-03T00:00:00Z"));
    expect(w.rateWindowFrom.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(w.daysInMonth).toBe(28);
  });
});

describe("project", () => {
  it("mid-month: $70 over the last 7 days is $10/day; 14.5 days left on $150 spent → $295, under a $300 budget", () => {
    const at = new Date("2026-06-16T12:00:00Z");
    const w = forecastWindows(at);
    const p = project({ at, monthEnd: w.monthEnd, rateWindowFrom: w.rateWindowFrom, spentUsd: 150, rateWindowSpentUsd: 70, budgetUsd: 300 });
    expect(p).toEqual({ rateUsdPerDay: 10, remainingDays: 14.5, projectedUsd: 295, projectedPercent: 98.3, overBudget: false });
  });
  it("no spend: rate 0, projection 0, under any budget; no budget → nulls", () => {
    const at = new Date("2026-06-16T12:00:00Z");
    const w = forecastWindows(at);
    expect(project({ at, monthEnd: w.monthEnd, rateWindowFrom: w.rateWindowFrom, spentUsd: 0, rateWindowSpentUsd: 0, budgetUsd: 50 })).toEqual({ rateUsdPerDay: 0, remainingDays: 14.5, projectedUsd: 0, projectedPercent: 0, overBudget: false });
    expect(project({ at, monthEnd: w.monthEnd, rateWindowFrom: w.rateWindowFrom, spentUsd: 0, rateWindowSpentUsd: 0, budgetUsd: null })).toMatchObject({ projectedPercent: null, overBudget: null });
  });
  it("budget exceeded in projection only: $40 spent in 2 days of February → $20/day × 26 days → $560 against $500", () => {
    const at = new Date("2026-02-03T00:00:00Z");
    const w = forecastWindows(at);
    const p = project({ at, monthEnd: w.monthEnd, rateWindowFrom: w.rateWindowFrom, spentUsd: 40, rateWindowSpentUsd: 40, budgetUsd: 500 });
    expect(p).toEqual({ rateUsdPerDay: 20, remainingDays: 26, projectedUsd: 560, projectedPercent: 112, overBudget: true });
  });
  it("at the very start of the month nothing has elapsed: rate 0, not a division by zero", () => {
    const at = new Date("2026-03-01T00:00:00Z");
    const w = forecastWindows(at);
    expect(project({ at, monthEnd: w.monthEnd, rateWindowFrom: w.rateWindowFrom, spentUsd: 0, rateWindowSpentUsd: 0, budgetUsd: 10 })).toMatchObject({ rateUsdPerDay: 0, remainingDays: 31, projectedUsd: 0 });
  });
});

describe("whatIfMonthlyUsd", () => {
  it("runs/day × cost per run × days; unmeasured or negative → null", () => {
    expect(whatIfMonthlyUsd(200, 0.015, 30)).toBeCloseTo(90, 9);
    expect(whatIfMonthlyUsd(200, null, 30)).toBeNull();
    expect(whatIfMonthlyUsd(-1, 0.01, 30)).toBeNull();
  });
});
