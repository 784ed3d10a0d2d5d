// Issue #14, rows 6 and 8: browser sessions are checked against the database on every request
// (sign-out revokes, a demotion takes effect at once), and cookie-authenticated writes must come from
// Flowgate's own origin. Sessions are minted exactly as next-auth does on sign-in: our jwt callback,
// then next-auth's own encode() into the session cookie.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { encode } from "next-auth/jwt";
import type { JWT } from "next-auth/jwt";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { authOptions } from "@/lib/auth/options";
import { checkPassword } from "@/lib/auth/sign-in";
import { closeDb, db } from "@/lib/db";
import { newId } from "@/lib/ids";

process.env.NEXTAUTH_SECRET ??= "test-nextauth-secret";
const ORIGIN = "http://localhost:3000";

let endpointId: string;
let userId: string;
const email = `alice-${process.pid}-${Date.now()}@example.com`;

async function signIn(): Promise<{ cookie: string; token: JWT }> {
  const user = await checkPassword(email, "correct horse");
  expect(user).not.toBeNull();
  const token = (await authOptions.callbacks!.jwt!({ token: {}, user: { id: user!.id, email: user!.email, name: user!.name }, account: null, trigger: "signIn" } as never)) as JWT;
  const jwt = await encode({ token, secret: process.env.NEXTAUTH_SECRET! });
  return { cookie: `next-auth.session-token=${jwt}`, token };
}

const disable = (cookie: string, headers: Record<string, string> = {}) =>
  callJson("POST", `/api/v1/endpoints/${endpointId}/disable`, { headers: { cookie, ...headers } });

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  userId = newId("usr");
  await db().user.create({ data: { id: userId, email, name: "Alice", role: "admin", passwordHash: await bcrypt.hash("correct horse", 4) } });
  const admin = (await createApiKey({ name: "sessions admin", role: "admin" })).key;
  const ep = await callJson("POST", "/api/v1/endpoints", { key: admin, body: { name: `ep-${Date.now()}`, provider: "comfyui", config: { baseUrl: "http://127.0.0.1:9" } } });
  expect(ep.status).toBe(201);
  endpointId = ep.body.id;
});

afterAll(async () => {
  await closeDb();
});

describe("sessions are revocable and re-read on every request", () => {
  it("a signed-in admin's cookie works for reads and same-origin writes", async () => {
    const { cookie } = await signIn();
    expect((await callJson("GET", "/api/v1/endpoints", { headers: { cookie } })).status).toBe(200);
    expect((await disable(cookie, { origin: ORIGIN, "sec-fetch-site": "same-origin" })).status).toBe(200);
  });

  it("after sign-out the old cookie is refused", async () => {
    const { cookie, token } = await signIn();
    expect((await callJson("GET", "/api/v1/endpoints", { headers: { cookie } })).status).toBe(200);
    await authOptions.events!.signOut!({ token, session: null as never }); // what next-auth calls on POST /api/auth/signout
    const r = await callJson("GET", "/api/v1/endpoints", { headers: { cookie } });
    expect(r.status).toBe(401);
    expect((await disable(cookie, { origin: ORIGIN })).status).toBe(401);
    // next-auth's own session read (the dashboard's SessionProvider) refuses it too.
    await expect(authOptions.callbacks!.jwt!({ token } as never)).rejects.toThrow(/revoked/);
  });

  it("a user demoted to viewer loses admin actions at once, with the same cookie", async () => {
    const { cookie } = await signIn();
    expect((await disable(cookie, { origin: ORIGIN })).status).toBe(200);
    await db().user.update({ where: { id: userId }, data: { role: "viewer" } });
    try {
      const r = await disable(cookie, { origin: ORIGIN });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("forbidden");
      expect((await callJson("GET", "/api/v1/endpoints", { headers: { cookie } })).status).toBe(200); // still a viewer
    } finally {
      await db().user.update({ where: { id: userId }, data: { role: "admin" } });
    }
  });

  it("an expired session row is refused even while the JWT is still valid", async () => {
    const { cookie, token } = await signIn();
    await db().session.update({ where: { id: token.sid as string }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await callJson("GET", "/api/v1/endpoints", { headers: { cookie } })).status).toBe(401);
  });

  it("behind https, only the Secure __Secure- cookie counts (a cookie planted over http does not)", async () => {
    const { token } = await signIn();
    const jwt = await encode({ token, secret: process.env.NEXTAUTH_SECRET! });
    const before = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = "https://flowgate.example";
    try {
      expect((await callJson("GET", "/api/v1/endpoints", { headers: { cookie: `__Secure-next-auth.session-token=${jwt}` } })).status).toBe(200);
      expect((await callJson("GET", "/api/v1/endpoints", { headers: { cookie: `next-auth.session-token=${jwt}` } })).status).toBe(401);
    } finally {
      if (before === undefined) delete process.env.NEXTAUTH_URL;
      else process.env.NEXTAUTH_URL = before;
    }
  });

  it("a forged token (not signed with our secret) is refused", async () => {
    const { token } = await signIn();
    const forged = await encode({ token, secret: "someone-elses-secret" });
    expect((await callJson("GET", "/api/v1/endpoints", { headers: { cookie: `next-auth.session-token=${forged}` } })).status).toBe(401);
  });
});

describe("cookie-authenticated writes must be same-origin (CSRF)", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = (await signIn()).cookie;
  });

  it("refuses a foreign Origin", async () => {
    const r = await disable(cookie, { origin: "https://evil.example" });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("csrf_rejected");
  });

  it("refuses Sec-Fetch-Site: cross-site and same-site even with a matching-looking Origin", async () => {
    for (const site of ["cross-site", "same-site"]) {
      const r = await disable(cookie, { origin: ORIGIN, "sec-fetch-site": site });
      expect(r.status, site).toBe(403);
      expect(r.body.error.code).toBe("csrf_rejected");
    }
  });

  it("refuses a write with neither Origin nor Referer, and Origin: null (sandboxed frames, data: URLs)", async () => {
    expect((await disable(cookie)).body.error.code).toBe("csrf_rejected");
    expect((await disable(cookie, { origin: "null" })).body.error.code).toBe("csrf_rejected");
  });

  it("refuses a cross-site multipart upload (a form post needs no preflight)", async () => {
    const form = new FormData();
    form.set("file", new Blob(['{"3":{"class_type":"KSampler","inputs":{}}}'], { type: "application/json" }), "wf.json");
    const r = await callJson("POST", "/api/v1/workflows", { rawBody: form, headers: { cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("csrf_rejected");
  });

  it("accepts the same origin, by Origin or by Referer, and the Host the request was sent to", async () => {
    expect((await disable(cookie, { origin: ORIGIN })).status).toBe(200);
    expect((await disable(cookie, { referer: `${ORIGIN}/endpoints` })).status).toBe(200);
    const viaHost = await callJson("POST", `http://127.0.0.1:3000/api/v1/endpoints/${endpointId}/disable`, { headers: { cookie, host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" } });
    expect(viaHost.status).toBe(200);
  });

  it("reads with the cookie are not checked (GET is safe), and API keys are exempt", async () => {
    expect((await callJson("GET", "/api/v1/endpoints", { headers: { cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" } })).status).toBe(200);
    const key = (await createApiKey({ name: "csrf exempt", role: "admin" })).key;
    const r = await callJson("POST", `/api/v1/endpoints/${endpointId}/enable`, { key, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(r.status).toBe(200);
  });
});
