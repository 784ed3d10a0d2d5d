import { withApi, json } from "@/lib/api/with-api";
import { ApiError } from "@/lib/errors";
import { getRecipe } from "@/lib/provision/get-recipe";
import { zipRecipe } from "@/lib/provision/recipe-zip";
import { versionNumberParam } from "@/lib/workflows/get-workflow.types";

// GET /api/v1/workflows/{id}/versions/{number}/recipe?provider=runpod[&format=zip][&image=…] – the
// worker image recipe: {dockerfile, files} as JSON, or the same files as a zip
export const GET = withApi<{ id: string; number: string }>({ permission: "read" }, async ({ req, ctx, params }) => {
  const url = new URL(req.url);
  const format = url.searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "zip") throw new ApiError("bad_request", "format must be json or zip.");
  const r = await getRecipe({
    ctx,
    input: { workflowId: params.id, number: versionNumberParam(params.number), provider: (url.searchParams.get("provider") ?? "runpod") as "runpod", image: url.searchParams.get("image") ?? undefined },
  });
  if (format === "zip") {
    return new Response(Buffer.from(zipRecipe(r, r.folder)), {
      status: 200,
      headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${r.folder}.zip"`, "cache-control": "no-store" },
    });
  }
  return json({ provider: r.provider, image: r.image, dockerfile: r.dockerfile, files: r.files, problems: r.problems });
});
