import { withApi, json } from "@/lib/api/with-api";
import { openapiDocument } from "@/lib/api/openapi";

// GET /api/v1/openapi.json – the whole API as OpenAPI 3.1
export const GET = withApi({ permission: "read" }, async () => json(openapiDocument()));
