// Every dashboard page loads without browser warnings or errors: the dev terminal repeats each
// one (`[browser] …`), and a user cannot tell ours from a real problem. React Flow used to warn on
// each graph (the deprecated free getNodesBounds, the hidden attribution).
import { expect, test, type ConsoleMessage } from "@playwright/test";
import { signIn } from "./helpers";

test("dashboard pages log no warnings or errors in the browser", async ({ page }) => {
  test.setTimeout(240_000);
  const messages: string[] = [];
  let where = "/signin";
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "warning" || m.type() === "error") messages.push(`${where}: [${m.type()}] ${m.text()}`);
  });
  page.on("pageerror", (e) => messages.push(`${where}: [pageerror] ${e.message}`));
  await signIn(page);

  const deployments = await (await page.request.get("/api/v1/deployments")).json();
  const sample = deployments.items.find((d: { slug: string }) => d.slug === "sample-txt2img") ?? deployments.items[0];
  const run = await (await page.request.post(`/api/v1/deployments/${sample.slug}/runs`, { data: { inputs: { prompt: "console check" } } })).json();
  const pages = ["/workflows", "/deployments", "/runs", "/endpoints", `/workflows/${sample.workflowId}`, `/deployments/${sample.slug}`, `/runs/${run.id}`];
  for (const p of pages) {
    where = p;
    await page.goto(p);
    await page.waitForLoadState("networkidle").catch(() => {});
    // React Flow's attribution check runs on a timer after the graph mounts
    await page.waitForTimeout(1500);
  }
  expect(messages).toEqual([]);
});
