import { z } from "zod";
import { ScopeSchema } from "@/lib/auth/scopes";
import { ROLES } from "@/lib/auth/roles";
import { DeploymentSlug } from "./schemas";

export const CreateApiKeyInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    /** What the key may do (lib/auth/scopes.ts). Give scopes or a role (a role stands for its scopes). */
    scopes: z.array(ScopeSchema).min(1).max(5).optional(),
    role: z.enum(ROLES).optional(),
    /** Only these deployments may be run with the key (needs the `run` scope); absent = all. */
    deployments: z.array(DeploymentSlug).min(1).max(100).optional(),
    /** ISO-8601 time after which the key answers 401 api_key_expired. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    /** Requests per minute for this key (default: the server's FLOWGATE_RATE_LIMIT_API). */
    rateLimitPerMinute: z.int().min(1).max(1_000_000).optional(),
  })
  .refine((v) => !(v.scopes && v.role), { message: "give scopes or a role, not both", path: ["role"] })
  .refine((v) => !v.deployments || (v.scopes ?? []).includes("run"), { message: "deployments limit what a key may run: they need the run scope", path: ["deployments"] });
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInput>;

export { CreatedApiKeySchema as CreateApiKeyOutput } from "./schemas";
