import { withApi, json, readJson } from "@/lib/api/with-api";
import { pageParams } from "@/lib/api/pagination";
import { createApiKey } from "@/lib/keys/create-api-key";
import { listApiKeys } from "@/lib/keys/list-api-keys";
import { ApiError } from "@/lib/errors";
import { API_KEY_STATUSES } from "@/lib/keys/schemas";

// POST /api/v1/keys – a new key, shown once (admins: any scopes; a signed-in user: their own, within their role)
export const POST = withApi({ permission: "read" }, async ({ req, ctx }) => {
  const input = (await readJson(req)) as Parameters<typeof createApiKey>[0]["input"];
  return json(await createApiKey({ ctx, input }), 201, { "Cache-Control": "no-store" });
});

// GET /api/v1/keys?status=&limit=&cursor= – keys, newest first, never the key itself
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  const url = new URL(req.url);
  const status = url.searchParams.get("status");
  if (status && !(API_KEY_STATUSES as readonly string[]).includes(status)) throw new ApiError("bad_request", `status must be one of ${API_KEY_STATUSES.join(", ")}.`);
  return json(await listApiKeys({ ctx, input: { ...pageParams(url), status: status as (typeof API_KEY_STATUSES)[number] | null } }));
});
