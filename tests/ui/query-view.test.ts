// The shared query view and the compact table, rendered with React's server renderer from real
// TanStack Query results (pending, failed, empty, loaded).
import { QueryClient, QueryObserver, type QueryObserverResult } from "@tanstack/react-query";
import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/components/api";
import { EmptyState, QueryView, Table, TBody, TD, TH, THead } from "@/components/ui";

async function resultOf<T>(queryFn: () => Promise<T>, settle = true): Promise<QueryObserverResult<T, unknown>> {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const observer = new QueryObserver<T, unknown>(client, { queryKey: ["q"], queryFn });
  const settled = new Promise<void>((resolve) => {
    const unsubscribe = observer.subscribe((r) => {
      if (r.status !== "pending") {
        unsubscribe();
        resolve();
      }
    });
  });
  if (settle) await settled;
  return observer.getCurrentResult();
}

const view = (query: QueryObserverResult<{ items: string[] }, unknown>) =>
  renderToStaticMarkup(
    h(QueryView<{ items: string[] }>, {
      query,
      errorTitle: "Could not load things",
      isEmpty: (d) => d.items.length === 0,
      empty: h(EmptyState, { title: "Nothing yet" }),
      children: (d) => h("ul", null, d.items.map((x) => h("li", { key: x }, x))),
    }),
  );

describe("QueryView", () => {
  it("shows a skeleton while pending", async () => {
    const html = view(await resultOf(() => new Promise<{ items: string[] }>(() => {}), false));
    expect(html).toContain('aria-busy="true"');
    expect(html).not.toContain("<ul>");
  });

  it("shows the error with its code, next step and Try again", async () => {
    const html = view(await resultOf<{ items: string[] }>(() => Promise.reject(new ApiError(503, "database_unavailable", "The database is not answering."))));
    expect(html).toContain('role="alert"');
    expect(html).toContain("Could not load things");
    expect(html).toContain("The database is not answering.");
    expect(html).toContain("database_unavailable");
    expect(html).toContain("Try again");
  });

  it("shows the empty state for empty data and the content otherwise", async () => {
    expect(view(await resultOf(async () => ({ items: [] })))).toContain("Nothing yet");
    const html = view(await resultOf(async () => ({ items: ["a", "b"] })));
    expect(html).toBe("<ul><li>a</li><li>b</li></ul>");
  });
});

describe("Table", () => {
  const table = (size?: "compact") =>
    renderToStaticMarkup(
      h(Table, { size }, h(THead, null, h("tr", null, h(TH, null, "Name"))), h(TBody, null, h("tr", null, h(TD, { className: "text-zinc-500" }, "x")))),
    );

  it("compact cells get compact padding without overrides", () => {
    const html = table("compact");
    expect(html).toMatch(/<table class="[^"]*text-xs/);
    expect(html).toMatch(/<th class="[^"]*px-3 py-1\.5/);
    expect(html).toMatch(/<td class="[^"]*px-3 py-1\.5/);
    expect(html).not.toContain("px-4");
  });

  it("cells set no colour of their own, so a cell's text colour is the only one", () => {
    for (const size of [undefined, "compact"] as const) {
      const td = table(size).match(/<td class="([^"]*)"/)![1]!;
      expect(td.split(" ").filter((c) => /^text-(zinc|red|emerald|amber)-/.test(c))).toEqual(["text-zinc-500"]);
    }
  });
});
