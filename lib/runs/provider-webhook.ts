// Provider callbacks (RunPod `webhook`, RunComfy `?webhook=`): a per-attempt URL carrying an HMAC of
// the attempt id, so only the provider we gave it to can call it. A callback only wakes the run's
// watcher; the provider's status API stays the truth (a forged or replayed body changes nothing).
import { createHmac, timingSafeEqual } from "node:crypto";

function key(): string {
  const k = process.env.FLOWGATE_SECRET_KEY;
  if (!k) throw new Error("FLOWGATE_SECRET_KEY is not set");
  return k;
}

export function attemptToken(attemptId: string): string {
  return createHmac("sha256", key()).update(`attempt-webhook:${attemptId}`).digest("base64url");
}

export function verifyAttemptToken(attemptId: string, token: string | null): boolean {
  if (!token) return false;
  const a = Buffer.from(attemptToken(attemptId));
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The callback URL for an attempt, when Flowgate knows its public URL (FLOWGATE_PUBLIC_URL). */
export function providerWebhookUrl(attemptId: string): string | undefined {
  const base = process.env.FLOWGATE_PUBLIC_URL?.replace(/\/+$/, "");
  if (!base) return undefined;
  return `${base}/api/v1/hooks/attempts/${attemptId}?token=${attemptToken(attemptId)}`;
}
