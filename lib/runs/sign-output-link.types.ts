import { z } from "zod";

/** How long a signed output link works unless asked otherwise (1 h), and the longest allowed (7 days). */
export const SIGNED_LINK_DEFAULT_SECONDS = 3600;
export const SIGNED_LINK_MAX_SECONDS = 7 * 24 * 3600;

export const SignOutputLinkInput = z.object({
  runId: z.string().min(1),
  outputId: z.string().min(1),
  /** where the link points (https://flowgate.example.com); the path is added */
  baseUrl: z.string().url(),
  expiresInSeconds: z.number().int().min(1).max(SIGNED_LINK_MAX_SECONDS).default(SIGNED_LINK_DEFAULT_SECONDS),
});
export type SignOutputLinkInput = z.input<typeof SignOutputLinkInput>;

export const SignOutputLinkOutput = z.object({ url: z.string(), expiresAt: z.string() });
export type SignOutputLinkOutput = z.infer<typeof SignOutputLinkOutput>;

/** What a signed output link signs: one output of one run. */
export const outputLinkSubject = (runId: string, outputId: string) => `run-output:${runId}/${outputId}`;
