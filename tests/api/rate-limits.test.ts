// Issue #14, row 7: bad API keys, password guesses and busy keys are limited per address, account and
// key — counters in PostgreSQL shared by every app instance — and answer 429 with Retry-After.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { call, callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { checkPassword, gateSignIn } from "@/lib/auth/sign-in";
import { closeDb, db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { hit, parseLimit } from "@/lib/security/rate-limit";
import { NextRequest } from "next/server";

let n = 0;
const ip = () => `198.51.100.${(process.pid + n++) % 250}-${Date.now()}`; // a fresh address per test
const saved = { ...process.env };

afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith("FLOWGATE_RATE_LIMIT_") || k === "FLOWGATE_TRUST_PROXY") delete process.env[k];
  Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([k]) => k.startsWith("FLOWGATE_RATE_LIMIT_"))));
});

afterAll(async () => {
  await closeDb();
});

const badKey = "fg_0123456789ab_thisisnotarealsecretatall";

describe("API keys", () => {
  it("answers 429 with Retry-After after 30 bad keys from one address (the default), 401 before", async () => {
    const from = ip();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call("GET", "/api/v1/workflows", { key: badKey, headers: { "x-forwarded-for": from } })).status);
    expect(new Set(statuses)).toEqual(new Set([401]));
    const r = await callJson("GET", "/api/v1/workflows", { key: badKey, headers: { "x-forwarded-for": from } });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe("rate_limited");
    const retry = Number(r.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // A malformed Authorization header counts the same.
    expect((await call("GET", "/api/v1/workflows", { headers: { authorization: "Basic abc", "x-forwarded-for": from } })).status).toBe(429);
    // Another address is not affected.
    expect((await call("GET", "/api/v1/workflows", { key: badKey, headers: { "x-forwarded-for": ip() } })).status).toBe(401);
  });

  it("limits requests per key (FLOWGATE_RATE_LIMIT_API), other keys unaffected", async () => {
    process.env.FLOWGATE_RATE_LIMIT_API = "3/1m";
    const key = (await createApiKey({ name: "busy", role: "viewer" })).key;
    const other = (await createApiKey({ name: "calm", role: "viewer" })).key;
    for (let i = 0; i < 3; i++) expect((await call("GET", "/api/v1/workflows", { key })).status).toBe(200);
    const r = await callJson("GET", "/api/v1/workflows", { key });
    expect(r.status).toBe(429);
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(r.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(r.body.error.details).toMatchObject({ limit: 3, windowSeconds: 60 });
    expect((await call("GET", "/api/v1/workflows", { key: other })).status).toBe(200);
  });

  it("uses X-Forwarded-For's client entry only as far as FLOWGATE_TRUST_PROXY trusts proxies", async () => {
    process.env.FLOWGATE_RATE_LIMIT_BAD_KEYS = "2/15m";
    process.env.FLOWGATE_TRUST_PROXY = "1";
    const real = ip();
    // A client rotating a forged leftmost entry: the proxy appends the real address, which counts.
    for (let i = 0; i < 2; i++) expect((await call("GET", "/api/v1/workflows", { key: badKey, headers: { "x-forwarded-for": `10.0.0.${i}, ${real}` } })).status).toBe(401);
    expect((await call("GET", "/api/v1/workflows", { key: badKey, headers: { "x-forwarded-for": `10.0.0.99, ${real}` } })).status).toBe(429);
  });
});

describe("password sign-in", () => {
  const email = `bob-${process.pid}-${Date.now()}@example.com`;
  beforeAll(async () => {
    await db().user.create({ data: { id: newId("usr"), email, name: "Bob", role: "viewer", passwordHash: await bcrypt.hash("right", 4) } });
  });

  const attempt = (account: string, from: string) =>
    new NextRequest("http://localhost:3000/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": from },
      body: new URLSearchParams({ email: account, password: "wrong", csrfToken: "x", json: "true" }),
    });

  it("answers 429 with Retry-After on the 11th attempt for one account (default 10 / 15 min), from any address", async () => {
    for (let i = 0; i < 10; i++) expect(await gateSignIn(attempt(email.toUpperCase(), ip()))).toBeNull(); // counted, not refused
    const r = (await gateSignIn(attempt(email, ip())))!;
    expect(r.status).toBe(429);
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await r.json();
    expect(body.error.code).toBe("rate_limited");
    // next-auth's client reads the message from `url`'s error parameter.
    expect(new URL(body.url).searchParams.get("error")).toMatch(/Too many sign-in attempts/);
    // The real route answers it too, before next-auth is involved.
    const route = await import("@/app/api/auth/[...nextauth]/route");
    const viaRoute = await route.POST(attempt(email, ip()), { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) });
    expect(viaRoute.status).toBe(429);
    expect(viaRoute.headers.get("retry-after")).toBeTruthy();
  });

  it("a correct password clears the account's count", async () => {
    const other = `carol-${process.pid}-${Date.now()}@example.com`;
    await db().user.create({ data: { id: newId("usr"), email: other, name: "Carol", role: "viewer", passwordHash: await bcrypt.hash("right", 4) } });
    for (let i = 0; i < 9; i++) expect(await gateSignIn(attempt(other, ip()))).toBeNull();
    expect(await checkPassword(other, "wrong")).toBeNull();
    expect(await checkPassword(other, "right")).not.toBeNull();
    for (let i = 0; i < 10; i++) expect(await gateSignIn(attempt(other, ip()))).toBeNull();
    expect((await gateSignIn(attempt(other, ip())))?.status).toBe(429);
  });

  it("good sign-ins do not use up their address's allowance; failures do", async () => {
    process.env.FLOWGATE_RATE_LIMIT_SIGNIN_IP = "3/15m";
    const dave = `dave-${process.pid}-${Date.now()}@example.com`;
    await db().user.create({ data: { id: newId("usr"), email: dave, name: "Dave", role: "viewer", passwordHash: await bcrypt.hash("right", 4) } });
    const from = ip();
    for (let i = 0; i < 5; i++) {
      expect(await gateSignIn(attempt(dave, from))).toBeNull();
      expect(await checkPassword(dave, "right", { headers: { "x-forwarded-for": from } })).not.toBeNull();
    }
    for (let i = 0; i < 3; i++) expect(await gateSignIn(attempt(`x${i}-${Date.now()}@example.com`, from))).toBeNull();
    expect((await gateSignIn(attempt(dave, from)))?.status).toBe(429);
  });

  it("limits one address across many accounts (default 50 / 15 min)", async () => {
    const from = ip();
    for (let i = 0; i < 50; i++) expect(await gateSignIn(attempt(`nobody${i}-${Date.now()}@example.com`, from))).toBeNull();
    expect((await gateSignIn(attempt(`nobody-last-${Date.now()}@example.com`, from)))?.status).toBe(429);
  });
});

describe("the limiter", () => {
  it("counts atomically: 40 parallel hits on a limit of 10 let exactly 10 through", async () => {
    const bucket = `test:parallel:${Date.now()}`;
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => hit([{ bucket, limit: 10, windowSeconds: 60 }])));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(10);
  });

  it("parses COUNT/WINDOW settings", () => {
    expect(parseLimit("10/15m")).toEqual({ limit: 10, windowSeconds: 900 });
    expect(parseLimit("600/1m")).toEqual({ limit: 600, windowSeconds: 60 });
    expect(parseLimit("5/30s")).toEqual({ limit: 5, windowSeconds: 30 });
    expect(parseLimit("100/1h")).toEqual({ limit: 100, windowSeconds: 3600 });
    expect(parseLimit("off")?.limit).toBe(0);
    expect(parseLimit("ten")).toBeNull();
  });
});
