import { z } from "zod";

export const RevokeApiKeyInput = z.strictObject({ id: z.string().min(1).max(100) });
export type RevokeApiKeyInput = z.input<typeof RevokeApiKeyInput>;

export { ApiKeySchema as RevokeApiKeyOutput } from "./schemas";
