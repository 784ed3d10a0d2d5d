// One MCP tool: its name, the permission a key needs to see and call it, zod input/output schemas
// (the verbs' own schemas where they exist) and a thin handler over the verbs. Errors thrown by a
// verb become `isError` results with the API's error code (results.ts).
import type { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { Permission } from "@/lib/auth/roles";
import { checkJsonValue } from "@/lib/api/input";
import { toolError, type McpEnv } from "./results";

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ToolSpec {
  name: string;
  permission: Permission;
  register(server: McpServer, env: McpEnv): void;
}

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: {
  name: string;
  permission: Permission;
  title: string;
  description: string;
  input: I;
  output?: O;
  annotations?: ToolAnnotations;
  /** Workflows carry ComfyUI seeds up to 2^64 (import_workflow): keep integers past 2^53 as sent. */
  allowUnsafeIntegers?: boolean;
  run: (args: z.output<I>, env: McpEnv, extra: ToolExtra) => Promise<CallToolResult>;
}): ToolSpec {
  return {
    name: def.name,
    permission: def.permission,
    register(server, env) {
      const handler = async (args: z.output<I>, extra: ToolExtra): Promise<CallToolResult> => {
        try {
          // The same edge checks as an API body (lib/api/input.ts): no NUL or lone surrogate in any
          // string, bounded nesting, safe integers — so bad text is a 400-style error, not a database one.
          checkJsonValue(args, { root: "arguments", allowUnsafeIntegers: def.allowUnsafeIntegers });
          return await def.run(args, env, extra);
        } catch (err) {
          return toolError(err, env.ctx);
        }
      };
      server.registerTool(
        def.name,
        { title: def.title, description: def.description, inputSchema: def.input, ...(def.output ? { outputSchema: def.output } : {}), annotations: { title: def.title, ...def.annotations } },
        handler as never,
      );
    },
  };
}

/**
 * MCP progress notifications for a wait, when the client sent a progressToken: `progress` only
 * grows (one per change of the run), `message` says where the run is ("running, step 7/20").
 */
export function progressReporter(extra: ToolExtra) {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let n = 0;
  return async (run: { status: string; progress: { value?: number; max?: number; nodeId?: string | null; message?: string } | null }) => {
    n += 1;
    const p = run.progress;
    const step = p?.max ? `, step ${p.value ?? 0}/${p.max}${p.nodeId ? ` (node ${p.nodeId})` : ""}` : "";
    await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: n, message: `${run.status}${step}${p?.message ? ` — ${p.message}` : ""}` } });
  };
}
