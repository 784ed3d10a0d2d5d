// The page policy from proxy.ts: a fresh nonce per page, no 'unsafe-eval' in production, HSTS only
// over https, API routes left to set their own policy.
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { pageCsp } from "./headers";

const run = (url: string, headers: Record<string, string> = {}) => proxy(new NextRequest(url, { headers }));

describe("page security headers", () => {
  it("gives every page its own nonce, in the response and in the request Next renders with", () => {
    const a = run("http://localhost:3000/workflows");
    const b = run("http://localhost:3000/workflows");
    const csp = a.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toBe(b.headers.get("content-security-policy"));
    // NextResponse.next({ request: { headers } }) forwards overridden request headers this way.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(/'nonce-([^']+)'/.exec(csp)![1]);
  });

  it("sends HSTS only when the request came over https", () => {
    expect(run("http://localhost:3000/workflows").headers.get("strict-transport-security")).toBeNull();
    expect(run("https://flowgate.example/workflows").headers.get("strict-transport-security")).toMatch(/max-age=31536000/);
    expect(run("http://flowgate.example/workflows", { "x-forwarded-proto": "https" }).headers.get("strict-transport-security")).toMatch(/max-age/);
    const api = run("https://flowgate.example/api/v1/runs");
    expect(api.headers.get("strict-transport-security")).toMatch(/max-age/);
    expect(api.headers.get("content-security-policy")).toBeNull(); // outputs set their own sandbox policy
  });

  it("allows eval only for next dev", () => {
    expect(pageCsp("n", true)).toContain("'unsafe-eval'");
    expect(pageCsp("n", false)).not.toContain("'unsafe-eval'");
    expect(pageCsp("n", false)).not.toContain("'unsafe-inline' 'nonce"); // scripts: never unsafe-inline
    expect(pageCsp("n", false)).toMatch(/script-src 'self' 'nonce-n' 'strict-dynamic';/);
  });
});
