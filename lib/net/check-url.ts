// API-facing URL checks: a URL a user saves (an endpoint's base URL, a run's webhook) is refused at
// once with url_not_allowed when it is malformed or resolves to a refused address. The connection
// made later is checked again by lib/net/outbound.ts; this is only the early answer.
import { ApiError } from "@/lib/errors";
import { AddressRefusedError, type Purpose } from "./address-policy";
import { checkOutboundUrl, type Resolver } from "./outbound";

export async function assertAllowedUrl(raw: string, purpose: Purpose, opts: { resolver?: Resolver } = {}): Promise<URL> {
  try {
    return await checkOutboundUrl(raw, purpose, opts);
  } catch (e) {
    if (e instanceof AddressRefusedError) throw new ApiError("url_not_allowed", e.message, { ...e.details });
    throw e;
  }
}
