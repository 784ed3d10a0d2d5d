"use client";
// How to call this deployment: input JSON Schema, example request, copy-paste snippets.
import { useEffect, useMemo, useState } from "react";
import type { Deployment } from "../api";
import { Card, CopyButton, Tabs } from "../ui";
import { slotSchema, snippets } from "./contract";

type Tab = "schema" | "example" | "curl" | "ts" | "py";

export function ContractPanel({ deployment }: { deployment: Deployment }) {
  const [tab, setTab] = useState<Tab>("curl");
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
  };
  return (
    <Card>
      <div className="flex items-center justify-between px-4 pt-3">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900">API contract</h2>
          <p className="mt-0.5 text-xs text-zinc-500">
            Call with an API key (<code className="font-mono">flowgate apikey create</code>).
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
    </Card>
  );
}
