// A run's webhook on the run page: the receiver is down, every try is listed with its HTTP status,
// the delivery goes dead; the receiver comes back and Replay delivers the same signed message.
// (The dev server runs with a short retry schedule and window for this test: playwright.config.ts.)
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { shot, signIn } from "./helpers";

test("a dead webhook delivery is listed with its tries and can be replayed", async ({ page }) => {
  test.setTimeout(180_000);
  let up = false;
  const received: { id: string | undefined; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (up) received.push({ id: req.headers["webhook-id"] as string | undefined, body });
      res.writeHead(up ? 204 : 503).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    await signIn(page);
    // A cookie-authenticated write must say it comes from Flowgate's origin, as a browser does (CSRF).
    const created = await page.request.post("/api/v1/deployments/sample-txt2img/runs", {
      data: { inputs: { prompt: "a webhook test" }, webhook: url },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(created.status(), await created.text()).toBe(202);
    const { id } = await created.json();

    await page.goto(`/runs/${id}`);
    const delivery = page.getByTestId("webhook-delivery").first();
    await expect(delivery).toHaveAttribute("data-status", "dead", { timeout: 120_000 });
    await expect(delivery.locator("tbody tr").first()).toContainText("503");
    await shot(page, "run-webhook-dead");

    up = true;
    await delivery.getByRole("button", { name: "Replay" }).click();
    await expect(delivery).toHaveAttribute("data-status", "delivered", { timeout: 60_000 });
    await expect(delivery.locator("tbody tr").last()).toContainText("204");
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].body)).toMatchObject({ type: "run.succeeded" });
    await shot(page, "run-webhook-delivered", { copyTo: "public/screenshots/run-webhook.png" });
  } finally {
    receiver.close();
  }
});
