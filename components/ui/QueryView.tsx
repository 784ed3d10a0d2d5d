"use client";
// One view of a query's states, so every list and panel shows them the same way: a skeleton while
// it loads, the error (with what to do next and Try again) when it fails, an empty state when there
// is nothing, and the content otherwise.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Button } from "./Button";
import { cn } from "./cn";
import { ErrorCallout } from "./ErrorCallout";
import { LoadingRows } from "./Skeleton";

export type QueryLike<T> = Pick<UseQueryResult<T, unknown>, "data" | "error" | "isPending" | "isError" | "refetch" | "isRefetching">;

export function QueryView<T>({
  query,
  children,
  errorTitle,
  isEmpty,
  empty,
  loading,
  rows = 4,
  errorClassName = "p-4",
}: {
  query: QueryLike<T>;
  /** The content, given the loaded data. */
  children: (data: T) => ReactNode;
  errorTitle?: ReactNode;
  /** When the loaded data counts as empty; `empty` is shown instead of the content. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  /** Replaces the default skeleton (`rows` lines). */
  loading?: ReactNode;
  rows?: number;
  /** Around the error callout (default: padded, to sit inside a card). */
  errorClassName?: string;
}) {
  if (query.isError)
    return (
      <div className={cn(errorClassName)} data-testid="query-error">
        <ErrorCallout
          error={query.error}
          title={errorTitle}
          action={
            <Button size="sm" onClick={() => void query.refetch()} loading={query.isRefetching}>
              Try again
            </Button>
          }
        />
      </div>
    );
  if (query.isPending) return <>{loading ?? <LoadingRows rows={rows} />}</>;
  const data = query.data as T;
  if (isEmpty?.(data)) return <>{empty ?? null}</>;
  return <>{children(data)}</>;
}
