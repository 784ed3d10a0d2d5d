// A new user's first upload: the UI-format export (what ComfyUI's "Save" writes) of a workflow made
// of core nodes, on a server where no endpoint's /object_info has been fetched. The conversion to
// API format must use the bundled core definitions; it used to fail inside the Next.js server with
// 422 workflow_unconvertible ("No definition for node type CheckpointLoaderSimple") until an
// endpoint had been checked, and again after an endpoint was edited (which clears its cache).
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

const FIXTURE = path.resolve("tests/fixtures/workflows/comfyui-examples/ui/lora__lora.json");

test("a UI-format workflow converts with the bundled core nodes before any endpoint was checked", async ({ page }) => {
  const stamp = Date.now().toString(36);
  await signIn(page);

  // No endpoint has cached /object_info: editing an endpoint's connection clears its cache, so do
  // that to any endpoint an earlier test or the worker's health check has already fetched.
  const endpoints = (await (await page.request.get("/api/v1/endpoints")).json()).items as { id: string; config: unknown; objectInfoFetchedAt: string | null }[];
  for (const ep of endpoints.filter((e) => e.objectInfoFetchedAt)) {
    const res = await page.request.patch(`/api/v1/endpoints/${ep.id}`, { data: { config: ep.config } });
    expect(res.status(), await res.text()).toBe(200);
  }
  const after = (await (await page.request.get("/api/v1/endpoints")).json()).items as { objectInfoFetchedAt: string | null }[];
  expect(after.every((e) => e.objectInfoFetchedAt === null)).toBe(true);

  await page.getByRole("button", { name: "Upload workflow" }).click();
  await page.getByTestId("workflow-file-input").setInputFiles(FIXTURE);
  await page.getByLabel("Name").fill(`E2E UI LoRA ${stamp}`);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await page.waitForURL(/\/workflows\/[^/?]+/);

  // the graph shows the 8 converted nodes, with the UI export's widget values mapped to inputs
  const graph = page.getByTestId("graph-editor");
  await expect(graph).toBeVisible();
  // (the graph opens at a readable zoom, so not every card is mounted: count from the toolbar)
  await expect(graph.getByText(/^8 nodes · \d+ links$/)).toBeVisible({ timeout: 30_000 });

  const id = new URL(page.url()).pathname.split("/").pop()!;
  const wf = await (await page.request.get(`/api/v1/workflows/${id}`)).json();
  expect(wf.latestVersion?.format ?? wf.versions?.[0]?.format).toBe("ui");
  const version = await (await page.request.get(`/api/v1/workflows/${id}/versions/1`)).json();
  expect(version.prompt["10"]).toMatchObject({ class_type: "LoraLoader", inputs: { lora_name: expect.any(String), strength_model: expect.any(Number) } });
});
