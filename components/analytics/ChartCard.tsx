"use client";
// A chart panel: title, what it shows, CSV export of exactly the data drawn, and a readable empty state.
import type { ReactNode } from "react";
import { Button, Card, CardBody, CardHeader, EmptyState } from "@/components/ui";
import { downloadCsv } from "./format";

export function ChartCard({
  title,
  description,
  csvName,
  rows,
  empty,
  children,
  className,
  height = 240,
}: {
  title: string;
  description?: ReactNode;
  csvName: string;
  /** The chart's data, as exported. */
  rows: Record<string, unknown>[];
  /** Shown instead of the chart when there are no rows. */
  empty: string;
  children: ReactNode;
  className?: string;
  height?: number;
}) {
  return (
    <Card className={className} data-testid={`chart-${csvName}`}>
      <CardHeader
        title={title}
        description={description}
        actions={
          <Button size="sm" variant="ghost" onClick={() => downloadCsv(csvName, rows)} disabled={!rows.length} aria-label={`Download ${title} as CSV`}>
            CSV
          </Button>
        }
      />
      <CardBody>
        {rows.length ? <div style={{ height }}>{children}</div> : <EmptyState title="Nothing to show yet" description={empty} className="py-8" />}
      </CardBody>
    </Card>
  );
}
