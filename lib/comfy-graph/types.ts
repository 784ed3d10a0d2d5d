// Shapes shared across the workflow library: ComfyUI's /object_info node definitions,
// the API-format prompt, and the loaded-workflow record.

export type InputSpec = [unknown, Record<string, unknown>?] | unknown[];

export interface NodeDef {
  input?: { required?: Record<string, InputSpec>; optional?: Record<string, InputSpec>; hidden?: Record<string, unknown> };
  input_order?: { required?: string[]; optional?: string[]; hidden?: string[] };
  output?: unknown[];
  output_name?: string[];
  output_is_list?: boolean[];
  output_node?: boolean;
  name?: string;
  display_name?: string;
  description?: string;
  category?: string;
  python_module?: string;
  api_node?: boolean;
  deprecated?: boolean;
  [key: string]: unknown;
}

export type ObjectInfo = Record<string, NodeDef>;

export interface ApiNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

export type ApiPrompt = Record<string, ApiNode>;

export interface WorkflowWarning {
  code: string;
  message: string;
  nodeId?: string;
}

export interface LoadedWorkflow {
  format: "api" | "ui";
  source: "json" | "png" | "webp";
  /** The workflow JSON as uploaded (UI or API), unwrapped from `{"prompt":…}` etc. */
  original: unknown;
  prompt: ApiPrompt;
  warnings: WorkflowWarning[];
  nodeCount: number;
}
