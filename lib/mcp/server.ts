// The MCP server for one caller: the tools its permissions allow (a read-only key lists no write
// tool) and every deployment as a resource (flowgate://deployments/{slug}: a README-style page and
// its input JSON Schema). Built per request: the HTTP transport is stateless (lib/mcp/http.ts).
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import pkg from "@/package.json";
import { listDeployments } from "@/lib/deployments/list-deployments";
import { allows } from "./actor";
import { deploymentReadme, deploymentUri, describeDeployment } from "./describe";
import type { McpEnv } from "./results";
import type { ToolSpec } from "./tool";
import { RUN_TOOLS } from "./tools/runs";
import { DEPLOYMENT_TOOLS } from "./tools/deployments";
import { ENDPOINT_TOOLS } from "./tools/endpoints";
import { WORKFLOW_TOOLS } from "./tools/workflows";

export const TOOLS: ToolSpec[] = [...DEPLOYMENT_TOOLS, ...RUN_TOOLS, ...ENDPOINT_TOOLS, ...WORKFLOW_TOOLS];

const INSTRUCTIONS = `Flowgate runs ComfyUI workflows as APIs on GPU backends.
Start with list_deployments, then describe_deployment (inputs, example call, cost, latency) or read the resource flowgate://deployments/{slug}.
run_deployment answers within its wait (max 45 s): when "done" is false, call wait_for_run with the run id until it is true.
Outputs are signed download links (resource_link), valid for an hour without an API key. Errors carry a code and details (the slot and rule for bad inputs, the node id and class for workflow errors).`;

/** The names of the tools this caller sees. */
export function visibleTools(env: McpEnv): string[] {
  return TOOLS.filter((t) => allows(env.ctx.actor, t.permission)).map((t) => t.name);
}

export function buildMcpServer(env: McpEnv): McpServer {
  const server = new McpServer({ name: "flowgate", title: "Flowgate", version: pkg.version }, { instructions: INSTRUCTIONS });
  for (const tool of TOOLS) if (allows(env.ctx.actor, tool.permission)) tool.register(server, env);
  if (allows(env.ctx.actor, "read")) registerDeploymentResources(server, env);
  return server;
}

function registerDeploymentResources(server: McpServer, env: McpEnv) {
  const template = new ResourceTemplate("flowgate://deployments/{slug}", {
    list: async () => {
      const page = await listDeployments({ ctx: env.ctx, input: { limit: 500 } });
      return {
        resources: page.items.map((d) => ({
          uri: deploymentUri(d.slug),
          name: d.slug,
          title: d.name,
          description: `Deployment "${d.name}" (${d.status}): inputs ${d.slots.map((s) => `${s.name}:${s.type}`).join(", ") || "none"}`,
          mimeType: "text/markdown",
        })),
      };
    },
    complete: {
      slug: async (value) => {
        const page = await listDeployments({ ctx: env.ctx, input: { limit: 500 } });
        return page.items.map((d) => d.slug).filter((s) => s.startsWith(value)).slice(0, 100);
      },
    },
  });
  server.registerResource(
    "deployment",
    template,
    { title: "Flowgate deployment", description: "A deployment: what it does, its inputs (JSON Schema), an example call, its cost and latency", mimeType: "text/markdown" },
    async (uri, vars) => {
      const slug = String(Array.isArray(vars.slug) ? vars.slug[0] : vars.slug);
      const d = await describeDeployment(env.ctx, slug);
      return {
        contents: [
          { uri: uri.href, mimeType: "text/markdown", text: deploymentReadme(d) },
          { uri: `${uri.href}#input-schema`, mimeType: "application/schema+json", text: JSON.stringify(d.inputSchema, null, 2) },
        ],
      };
    },
  );
}
