import { withApi, json } from "@/lib/api/with-api";
import { revokeApiKey } from "@/lib/keys/revoke-api-key";

// DELETE /api/v1/keys/{id} – revoke: the key answers 401 api_key_revoked from now on
export const DELETE = withApi<{ id: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await revokeApiKey({ ctx, input: { id: params.id } }));
});
