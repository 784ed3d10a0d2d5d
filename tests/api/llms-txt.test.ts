// /llms.txt: the agent guide, public plain text naming this origin's API and MCP endpoint, every MCP
// tool of issue #18 and every key scope.
import { describe, expect, it } from "vitest";
import { call } from "../helpers/api";
import { SCOPES } from "@/lib/auth/scopes";

const TOOLS = ["list_deployments", "describe_deployment", "run_deployment", "get_run", "wait_for_run", "cancel_run", "retry_run", "list_runs", "run_batch", "endpoint_health", "import_workflow", "suggest_slots", "create_deployment", "preflight", "restart_endpoint", "disable_endpoint", "enable_endpoint"];

describe("/llms.txt", () => {
  it("answers without auth, as text/plain, with the API flow, the MCP tools and the scopes", async () => {
    const res = await call("GET", "https://flowgate.example.com/llms.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const text = await res.text();
    expect(text).toMatch(/^# Flowgate\n/);
    expect(text).toContain("https://flowgate.example.com/api/mcp");
    expect(text).toContain("POST https://flowgate.example.com/api/v1/deployments/{slug}/runs");
    expect(text).toContain("Authorization: Bearer <api key>");
    for (const t of TOOLS) expect(text).toContain(`\`${t}\``);
    for (const s of SCOPES) expect(text).toContain(`\`${s}\``);
  });
});
