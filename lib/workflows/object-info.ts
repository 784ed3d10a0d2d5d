// Which node definitions to convert and analyse with: the uploaded ones, else what the registered
// endpoints report (cached /object_info), else the bundled core set from a real ComfyUI.
import { db } from "@/lib/db";
import { bundledObjectInfo, type ObjectInfo } from "@/lib/comfy-graph";

export async function knownObjectInfo(given?: ObjectInfo | null): Promise<ObjectInfo> {
  if (given && typeof given === "object" && Object.keys(given).length > 0) return given;
  const cached = await db().endpoint.findMany({
    where: { objectInfo: { not: undefined } },
    select: { objectInfo: true },
    orderBy: { objectInfoFetchedAt: "asc" },
  });
  const merged: ObjectInfo = Object.assign(Object.create(null), bundledObjectInfo());
  for (const row of cached) {
    if (row.objectInfo && typeof row.objectInfo === "object") Object.assign(merged, row.objectInfo as ObjectInfo);
  }
  return merged;
}
