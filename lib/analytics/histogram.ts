// Fixed log-bucket latency histograms: the rollup keeps counts per bucket (the SQL function
// flowgate_hist_inc in migration 20261202110000 uses the same bounds), and p50/p95 are read from the
// merged counts. Bucket 0 is [0, 100 ms); bucket k ≥ 1 is [100·2^((k−1)/2), 100·2^(k/2)) ms, the
// last (31) open-ended. Each bucket spans a factor of √2, so a percentile is within ~±19 % of
// the exact value (interpolated geometrically inside its bucket: usually much closer).
export const BUCKETS = 32;

export const bucketLower = (k: number) => (k === 0 ? 0 : 100 * 2 ** ((k - 1) / 2));
export const bucketUpper = (k: number) => (k >= BUCKETS - 1 ? Infinity : 100 * 2 ** (k / 2));

export function bucketOf(ms: number): number {
  if (ms < 100) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(2 * Math.log2(ms / 100)));
}

export function emptyHist(): number[] {
  return new Array(BUCKETS).fill(0);
}

export function addHist(into: number[], h: readonly (number | null)[] | null | undefined): number[] {
  if (!h) return into;
  for (let i = 0; i < Math.min(BUCKETS, h.length); i++) into[i] += h[i] ?? 0;
  return into;
}

export const histCount = (h: readonly number[]) => h.reduce((a, b) => a + b, 0);

/** The q-quantile (0..1) in ms, or null for an empty histogram. */
export function percentile(h: readonly number[], q: number): number | null {
  const n = histCount(h);
  if (n === 0) return null;
  const rank = q * n;
  let seen = 0;
  for (let k = 0; k < h.length; k++) {
    if (h[k] === 0) continue;
    if (seen + h[k] >= rank) {
      const f = Math.min(1, Math.max(0, (rank - seen) / h[k]));
      const lo = bucketLower(k);
      const hi = k >= BUCKETS - 1 ? lo * Math.SQRT2 : bucketUpper(k);
      const v = k === 0 ? hi * f : lo * (hi / lo) ** f;
      return Math.round(v);
    }
    seen += h[k];
  }
  return Math.round(bucketLower(h.length - 1));
}

/** Non-empty buckets as {fromMs, toMs, count} (toMs null for the open last bucket), for charts. */
export function histBuckets(h: readonly number[]) {
  return h
    .map((count, k) => ({ fromMs: Math.round(bucketLower(k)), toMs: k >= BUCKETS - 1 ? null : Math.round(bucketUpper(k)), count }))
    .filter((b) => b.count > 0);
}
