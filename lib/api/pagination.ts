// `?limit=` (default 50, max 500) and `?cursor=` (the last id of the previous page; ids sort by time).
import { ApiError } from "@/lib/errors";
import { z } from "zod";

export function pageParams(url: URL): { limit: number; cursor: string | null } {
  const raw = url.searchParams.get("limit");
  let limit = 50;
  if (raw !== null) {
    limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ApiError("bad_request", "limit must be an integer from 1 to 500.");
  }
  return { limit, cursor: url.searchParams.get("cursor") || null };
}

/** Given limit+1 rows fetched newest first, return the page and the next cursor. */
export function page<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}

/** The page part of every list verb's input (what `pageParams` reads from a query string). */
export const PageInput = z.object({
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).nullish(),
});
export type PageInput = z.input<typeof PageInput>;

/** A list verb's output: one page of items and the cursor of the next (null on the last page). */
export const pageOutput = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
