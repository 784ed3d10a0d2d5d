import { z } from "zod";
import { PageInput } from "@/lib/api/pagination";
import { API_KEY_STATUSES } from "./schemas";

export const ListApiKeysInput = PageInput.extend({
  /** Only keys in this state. */
  status: z.enum(API_KEY_STATUSES).nullish(),
});
export type ListApiKeysInput = z.input<typeof ListApiKeysInput>;

export { ApiKeyListSchema as ListApiKeysOutput } from "./schemas";
