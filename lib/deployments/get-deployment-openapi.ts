// A deployment's own OpenAPI document: its slots as the request schema. Deleted → 410.
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { deploymentOpenapiDocument } from "@/lib/api/openapi";
import { findDeployment } from "./get-deployment";
import { GetDeploymentInput } from "./get-deployment.types";
import { deletedError } from "./messages";
import { serializeDeployment } from "./serialize";

export async function getDeploymentOpenapi({ ctx, input }: VerbArgs<GetDeploymentInput>) {
  requirePermission(ctx.actor, "read");
  const { slug } = GetDeploymentInput.parse(input);
  const d = await findDeployment(ctx, slug);
  if (d.deletedAt) throw deletedError(d.slug, d.deletedAt);
  return deploymentOpenapiDocument(serializeDeployment(d));
}
