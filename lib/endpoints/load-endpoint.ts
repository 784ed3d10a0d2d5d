// The endpoint a write acts on, or 404 not_found.
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";

export async function loadEndpoint(id: string) {
  const ep = await db().endpoint.findUnique({ where: { id } });
  if (!ep) throw notFound("Endpoint", id);
  return ep;
}
