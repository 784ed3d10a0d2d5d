"use client";
// How to call this deployment: input JSON Schema, example request, copy-paste snippets (curl,
// TypeScript, Python, the CLI) and MCP client configurations for agents.
import { useEffect, useMemo, useState } from "react";
import type { Deployment } from "../api";
import { Card, CopyButton, Tabs } from "../ui";
import { slotSchema, snippets } from "./contract";

type Tab = "schema" | "example" | "curl" | "ts" | "py" | "cli";
type McpTab = "claudeDesktop" | "cursor" | "claudeCode" | "generic";

export function ContractPanel({ deployment }: { deployment: Deployment }) {
  const [tab, setTab] = useState<Tab>("curl");
  const [mcpTab, setMcpTab] = useState<McpTab>("claudeDesktop");
  const [origin, setOrigin] = useState("http://localhost:3000");
  useEffect(() => setOrigin(window.location.origin), []);
  const s = useMemo(() => snippets(deployment, origin), [deployment, origin]);
  const schema = useMemo(
    () => JSON.stringify(deployment.inputSchema ?? slotSchema(deployment.slots ?? []), null, 2),
    [deployment],
  );
  const text: Record<Tab, string> = {
    schema,
    example: `POST ${s.url}\nContent-Type: application/json\n\n${s.body}`,
    curl: s.curl,
    ts: s.ts,
    py: s.py,
    cli: s.cli,
  };
  return (
    <Card>
      <div className="flex items-center justify-between px-4 pt-3">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900">API contract</h2>
          <p className="mt-0.5 text-xs text-zinc-500">
            Call with an API key (
            <a href="/keys" className="font-medium text-indigo-600 hover:underline">
              API keys
            </a>
            ; a <code className="font-mono">run</code> key can be limited to this deployment). Snippets read it from <code className="font-mono">FLOWGATE_API_KEY</code>.
            {deployment.openapiUrl && (
              <>
                {" "}
                <a href={deployment.openapiUrl} className="font-medium text-indigo-600 hover:underline" target="_blank" rel="noreferrer">
                  OpenAPI
                </a>
              </>
            )}
          </p>
        </div>
      </div>
      <Tabs
        className="mt-2 px-2"
        value={tab}
        onChange={setTab}
        tabs={[
          { value: "curl", label: "curl" },
          { value: "ts", label: "TypeScript" },
          { value: "py", label: "Python" },
          { value: "cli", label: "CLI" },
          { value: "schema", label: "Schema" },
          { value: "example", label: "Request" },
        ]}
      />
      <div className="relative">
        <CopyButton text={text[tab]} className="absolute right-2 top-2 border border-zinc-700 bg-zinc-900 !text-zinc-200 hover:!bg-zinc-800 hover:!text-white" />
        <pre className="max-h-96 overflow-auto rounded-b-lg bg-zinc-950 p-4 text-[12px] leading-relaxed text-zinc-100" data-testid={`contract-${tab}`}>
          <code>{text[tab]}</code>
        </pre>
      </div>
      <div className="border-t border-zinc-200 px-4 pt-3">
        <h3 className="text-sm font-semibold text-zinc-900">Use from an AI agent (MCP)</h3>
        <p className="mt-0.5 text-xs text-zinc-500">
          Streamable HTTP at <code className="font-mono">{s.mcp.url}</code> with <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>. The agent sees only the
          tools its key&apos;s scopes allow. Agent guide: <a href="/llms.txt" className="font-medium text-indigo-600 hover:underline">/llms.txt</a>.
        </p>
      </div>
      <Tabs
        className="mt-2 px-2"
        value={mcpTab}
        onChange={setMcpTab}
        tabs={[
          { value: "claudeDesktop", label: "Claude Desktop" },
          { value: "cursor", label: "Cursor" },
          { value: "claudeCode", label: "Claude Code" },
          { value: "generic", label: "Any client" },
        ]}
      />
      <div className="relative">
        <CopyButton text={s.mcp[mcpTab]} className="absolute right-2 top-2 border border-zinc-700 bg-zinc-900 !text-zinc-200 hover:!bg-zinc-800 hover:!text-white" />
        <pre className="max-h-72 overflow-auto rounded-b-lg bg-zinc-950 p-4 text-[12px] leading-relaxed text-zinc-100" data-testid={`mcp-${mcpTab}`}>
          <code>{s.mcp[mcpTab]}</code>
        </pre>
      </div>
    </Card>
  );
}
