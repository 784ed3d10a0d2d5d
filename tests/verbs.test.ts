// Verbs take { ctx, input }: the actor is checked by the verb itself (so every adapter is checked the
// same way), the input is validated by its schema, and a transaction in ctx.tx is used for the
// queries (verbs compose in one). Plus the two rules that now exist once: run statuses and slugs.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { systemCtx, requestCtx, type Ctx } from "@/lib/context";
import { listWorkflows } from "@/lib/workflows/list-workflows";
import { getWorkflow } from "@/lib/workflows/get-workflow";
import { listRuns } from "@/lib/runs/list-runs";
import { listRunsQuery } from "@/lib/runs/list-runs.types";
import { getWebhookSecret } from "@/lib/webhooks/get-webhook-secret";
import { previewDisable } from "@/lib/endpoints/preview-disable";
import { LIVE_STATUSES, RUN_STATUSES, TERMINAL_STATUSES, isTerminal } from "@/lib/runs/status";
import { SLUG_PATTERN, slugify } from "@/lib/deployments/slug";
import { CreateDeploymentInput } from "@/lib/deployments/schemas";

const viewer: Ctx = { actor: { type: "apiKey", id: "key_viewer", name: "viewer", role: "viewer" }, requestId: "req_test" };
const agent: Ctx = { actor: { type: "mcp", id: "mcp_1", name: "agent", role: "viewer" }, requestId: "req_test" };

describe("verbs with { ctx, input }", () => {
  it("a verb uses the caller's transaction: it sees rows the transaction wrote, nobody else does", async () => {
    const id = newId("wf");
    await db()
      .$transaction(async (tx) => {
        await tx.workflow.create({ data: { id, name: "in a transaction" } });
        const inside = await getWorkflow({ ctx: { ...systemCtx(), tx }, input: { id } });
        expect(inside.name).toBe("in a transaction");
        await expect(getWorkflow({ ctx: systemCtx(), input: { id } })).rejects.toMatchObject({ code: "not_found" });
        throw new Error("roll back");
      })
      .catch((e) => expect((e as Error).message).toBe("roll back"));
    await expect(getWorkflow({ ctx: systemCtx(), input: { id } })).rejects.toMatchObject({ code: "not_found" });
  });

  it("checks the actor's permission in the verb, for every kind of actor", async () => {
    await expect(getWebhookSecret({ ctx: viewer, input: { slug: "nope" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(previewDisable({ ctx: agent, input: { id: "ep_nope" } })).rejects.toMatchObject({ code: "forbidden" });
    const page = await listWorkflows({ ctx: agent, input: { limit: 1 } });
    expect(page.items.length).toBeLessThanOrEqual(1);
    await expect(getWebhookSecret({ ctx: systemCtx(), input: { slug: "no-such-deployment" } })).rejects.toMatchObject({ code: "not_found" });
  });

  it("validates its input with the schema beside it, and list filters parse from a query string in lib/", async () => {
    await expect(listRuns({ ctx: viewer, input: { limit: 0 } })).rejects.toThrow();
    await expect(listRuns({ ctx: viewer, input: { status: "done" as never } })).rejects.toThrow();
    expect(() => listRunsQuery(new URL("http://x/api/v1/runs?status=done"))).toThrow(/status must be one of/);
    expect(() => listRunsQuery(new URL("http://x/api/v1/runs?since=yesterday"))).toThrow(/ISO-8601/);
    const q = listRunsQuery(new URL("http://x/api/v1/runs?status=failed&deployment=d&since=2026-01-01T00:00:00Z&limit=5"));
    expect(q).toMatchObject({ status: "failed", deployment: "d", limit: 5 });
    const page = await listRuns({ ctx: viewer, input: q });
    expect(page.items.every((r) => r.status === "failed")).toBe(true);
  });

  it("a request context takes a sane X-Request-Id and makes one otherwise", () => {
    const actor = viewer.actor;
    expect(requestCtx(actor, new Request("http://x", { headers: { "x-request-id": "abc-123" } })).requestId).toBe("abc-123");
    expect(requestCtx(actor, new Request("http://x", { headers: { "x-request-id": "bad id\n" } })).requestId).toMatch(/^req_/);
    expect(systemCtx().actor.type).toBe("system");
  });
});

describe("rules spelled once", () => {
  it("run statuses: live then terminal, and isTerminal agrees", () => {
    expect(RUN_STATUSES).toEqual([...LIVE_STATUSES, ...TERMINAL_STATUSES]);
    expect(TERMINAL_STATUSES.every(isTerminal)).toBe(true);
    expect(LIVE_STATUSES.some(isTerminal)).toBe(false);
  });

  it("slugs: the server's rule, and every derived slug is one the API accepts", () => {
    expect(slugify("Café au lait!")).toBe("caf-au-lait");
    expect(slugify("  SDXL  Turbo // v2 ")).toBe("sdxl-turbo-v2");
    expect(slugify("!!!")).toBe("deployment");
    expect(slugify("x".repeat(80))).toHaveLength(50);
    for (const name of ["Café au lait!", "a b", "x".repeat(80), "—", "Lighthouse 🌊 at dusk"]) {
      expect(slugify(name)).toMatch(SLUG_PATTERN);
      expect(CreateDeploymentInput.safeParse({ name, slug: slugify(name), workflowVersionId: "v", targets: [{ endpointId: "e" }] }).success).toBe(true);
    }
  });
});
