// Endpoint row → what an adapter needs (decrypted secret). The secret never leaves the server.
import type { Endpoint } from "@/lib/generated/prisma/client";
import type { EndpointTarget } from "@/lib/providers/types";
import { decryptSecret } from "@/lib/crypto/secrets";
import { openConfig } from "./credentials";

export function toTarget(ep: Pick<Endpoint, "id" | "provider" | "config" | "secretEncrypted">): EndpointTarget {
  return {
    id: ep.id,
    provider: ep.provider,
    // Header values and URL credentials decrypted back into place, for the adapter only.
    config: openConfig(ep.config as Record<string, unknown> | null),
    secret: ep.secretEncrypted ? decryptSecret(ep.secretEncrypted) : null,
  };
}
