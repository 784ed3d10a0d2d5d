// Issue #14: every page is sent with a nonce CSP and the other security headers, and the dashboard
// works under it (no CSP violation on the main pages); sign-out revokes the session cookie for real;
// a cross-origin cookie write is refused; password guessing meets a 429.
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

async function watchViolations(page: Page) {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|CSP violation|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

test("pages carry the CSP and security headers, and the dashboard runs under it", async ({ page }) => {
  const problems = await watchViolations(page);
  const res = (await page.goto("/signin"))!;
  const h = res.headers();
  const csp = h["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["permissions-policy"]).toContain("camera=()");
  expect(h["strict-transport-security"]).toBeUndefined(); // plain http here: no HSTS
  // Every script in the served HTML carries this response's nonce (Next adds it; else no hydration).
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  const tags = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  expect(tags.filter((t) => !t.includes(`nonce="${nonce}"`))).toEqual([]);
  // A fresh nonce per request.
  const again = (await page.request.get("/signin")).headers()["content-security-policy"];
  expect(again).not.toBe(csp);

  await signIn(page);
  const deployments = await (await page.request.get("/api/v1/deployments")).json();
  const sample = deployments.items?.[0];
  const paths = ["/workflows", "/deployments", "/runs", "/endpoints"];
  if (sample) paths.push(`/workflows/${sample.workflowId}`, `/deployments/${sample.slug}`);
  for (const p of paths) {
    const r = (await page.goto(p))!;
    expect(r.headers()["content-security-policy"], p).toContain("'nonce-");
    await page.waitForLoadState("networkidle");
  }
  if (sample) {
    // The workflow graph (React Flow) renders under the policy.
    await page.goto(`/workflows/${sample.workflowId}`);
    await expect(page.getByTestId("graph-editor").locator(".react-flow__node").first()).toBeVisible({ timeout: 30_000 });
  }
  expect(problems).toEqual([]);

  // And the policy bites: markup injected into the page (what an XSS does) runs no script.
  const ran = await page.evaluate(async () => {
    const div = document.createElement("div");
    div.innerHTML = `<img src="data:," onload="window.__injected = true" onerror="window.__injected = true">`;
    document.body.appendChild(div);
    await new Promise((r) => setTimeout(r, 300));
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => problems.some((p) => p.includes("script-src"))).toBe(true);
});

test("signing out revokes the session: the old cookie no longer works", async ({ page, browser }) => {
  await signIn(page);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toBeTruthy();
  expect((await page.request.get("/api/v1/endpoints")).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/signin**");

  // Replay the stolen cookie from a fresh context.
  const other = await browser.newContext({ baseURL: page.url().replace(/\/signin.*$/, "") });
  await other.addCookies([session!]);
  expect((await other.request.get("/api/v1/endpoints")).status()).toBe(401);
  const p = await other.newPage();
  await p.goto("/workflows");
  await p.waitForURL("**/signin**");
  await other.close();
});

test("a cookie-authenticated write from another origin is refused; the same origin is accepted", async ({ page }) => {
  await signIn(page);
  const eps = await (await page.request.get("/api/v1/endpoints")).json();
  const id = eps.items[0].id;
  const foreign = await page.request.post(`/api/v1/endpoints/${id}/enable`, { headers: { origin: "https://evil.example" } });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error.code).toBe("csrf_rejected");
  const origin = new URL(page.url()).origin;
  const same = await page.request.post(`/api/v1/endpoints/${id}/enable`, { headers: { origin } });
  expect(same.status()).toBe(200);
});

test("the 11th wrong password for an account gets 429 with Retry-After, and the form says so", async ({ page }) => {
  const email = `guess-${Date.now()}@example.com`;
  await page.goto("/signin");
  const csrf = (await (await page.request.get("/api/auth/csrf")).json()).csrfToken as string;
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await page.request.post("/api/auth/callback/credentials", { form: { email, password: `wrong${i}`, csrfToken: csrf, json: "true" } });
    statuses.push(r.status());
  }
  expect(statuses.every((s) => s === 401 || s === 200)).toBe(true);
  const r = await page.request.post("/api/auth/callback/credentials", { form: { email, password: "wrong", csrfToken: csrf, json: "true" } });
  expect(r.status()).toBe(429);
  expect(Number(r.headers()["retry-after"])).toBeGreaterThan(0);

  await page.waitForLoadState("networkidle");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong again");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/Too many sign-in attempts/)).toBeVisible();
});
