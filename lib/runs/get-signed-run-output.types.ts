import { z } from "zod";

/** The path parameters and the `exp` / `sig` query values of a signed output link, as received. */
export const GetSignedRunOutputInput = z.object({
  runId: z.string().min(1),
  outputId: z.string().min(1),
  exp: z.string().nullish(),
  sig: z.string().nullish(),
});
export type GetSignedRunOutputInput = z.infer<typeof GetSignedRunOutputInput>;
