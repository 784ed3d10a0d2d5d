"use client";
// Tables. `size="compact"` is for tables inside a card row, a sheet or a panel (denser padding,
// text-xs). `cn` does not merge conflicting Tailwind classes (which of two colours wins depends on
// the stylesheet's order, not the class order), so cells set no colour: they inherit the table's,
// and a cell's own `text-*` class always wins. Padding comes from the size, never from overrides.
import { createContext, useContext, type HTMLAttributes, type TdHTMLAttributes, type ThHTMLAttributes } from "react";
import { cn } from "./cn";

export type TableSize = "default" | "compact";
const SizeContext = createContext<TableSize>("default");

const styles = {
  default: {
    table: "text-sm text-zinc-700",
    th: "px-4 py-2",
    td: "px-4 py-2.5",
  },
  compact: {
    table: "text-xs text-zinc-700",
    th: "px-3 py-1.5",
    td: "px-3 py-1.5",
  },
} satisfies Record<TableSize, Record<"table" | "th" | "td", string>>;

export function Table({ className, size = "default", ...props }: HTMLAttributes<HTMLTableElement> & { size?: TableSize }) {
  return (
    <SizeContext.Provider value={size}>
      <div className="overflow-x-auto">
        <table className={cn("w-full border-collapse text-left", styles[size].table, className)} {...props} />
      </div>
    </SizeContext.Provider>
  );
}
export function THead({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cn("border-b border-zinc-200 bg-zinc-50/60", className)} {...props} />;
}
export function TBody({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cn("divide-y divide-zinc-100", className)} {...props} />;
}
export function TR({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("transition-colors hover:bg-zinc-50/80", className)} {...props} />;
}
export function TH({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  const size = useContext(SizeContext);
  return (
    <th
      className={cn("whitespace-nowrap text-xs font-medium uppercase tracking-wide text-zinc-500", styles[size].th, className)}
      {...props}
    />
  );
}
/** A cell stays on one line unless `wrap` (a class cannot override it: see the note on `cn` above). */
export function TD({ className, wrap, ...props }: TdHTMLAttributes<HTMLTableCellElement> & { wrap?: boolean }) {
  const size = useContext(SizeContext);
  return <td className={cn(wrap ? "whitespace-normal" : "whitespace-nowrap", styles[size].td, className)} {...props} />;
}
