import { describe, expect, it } from "vitest";
import { addHist, bucketOf, emptyHist, percentile } from "./histogram";

describe("log-bucket histogram", () => {
  it("buckets match the SQL function's bounds", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(99)).toBe(0);
    expect(bucketOf(100)).toBe(1);
    expect(bucketOf(141)).toBe(1);
    expect(bucketOf(142)).toBe(2);
    expect(bucketOf(200)).toBe(3);
    expect(bucketOf(1e12)).toBe(31);
  });
  it("p50/p95 within a bucket's width of the exact values", () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 + i * 20); // 1 s .. 21 s, uniform
    const h = emptyHist();
    for (const v of values) h[bucketOf(v)]++;
    const p50 = percentile(h, 0.5)!;
    const p95 = percentile(h, 0.95)!;
    expect(Math.abs(p50 - 11_000) / 11_000).toBeLessThan(0.19);
    expect(Math.abs(p95 - 20_000) / 20_000).toBeLessThan(0.19);
    expect(percentile(emptyHist(), 0.5)).toBeNull();
    expect(addHist(emptyHist(), [1, 2, null])[1]).toBe(2);
  });
});
