import { z } from "zod";

export const TestEndpointInput = z.object({ id: z.string().min(1), timeoutSeconds: z.number().int().min(5).max(300).default(60) });
export type TestEndpointInput = z.input<typeof TestEndpointInput>;

export const TestEndpointStep = z.object({ name: z.enum(["health", "preflight", "run"]), ok: z.boolean(), ms: z.number(), message: z.string() });
export const TestEndpointOutput = z.object({ endpointId: z.string(), ok: z.boolean(), steps: z.array(TestEndpointStep), totalMs: z.number(), auditId: z.string() });
export type TestEndpointOutput = z.output<typeof TestEndpointOutput>;
