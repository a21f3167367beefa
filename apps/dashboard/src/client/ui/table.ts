import { type Child, h } from "../dom.ts";

export interface Column<T> {
  header: string;
  cell: (row: T) => Child;
}

/** A data table with a caption (read by screen readers) that scrolls sideways on a phone. */
export function table<T>(caption: string, columns: Column<T>[], rows: T[]): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      null,
      h("caption", null, caption),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          columns.map((c) => h("th", { scope: "col" }, c.header)),
        ),
      ),
      h(
        "tbody",
        null,
        rows.map((row) =>
          h(
            "tr",
            null,
            columns.map((c) => h("td", null, c.cell(row))),
          ),
        ),
      ),
    ),
  );
}

/** Previous / next for a paged list (`meta` of the API). */
export function pager(
  meta: { limit: number; offset: number; count: number },
  go: (offset: number) => void,
): HTMLElement {
  const first = meta.count === 0 ? 0 : meta.offset + 1;
  const last = Math.min(meta.offset + meta.limit, meta.count);
  const prev = h("button", { type: "button", disabled: meta.offset === 0 }, "Previous");
  const next = h("button", { type: "button", disabled: last >= meta.count }, "Next");
  prev.addEventListener("click", () => go(Math.max(0, meta.offset - meta.limit)));
  next.addEventListener("click", () => go(meta.offset + meta.limit));
  return h(
    "nav",
    { class: "pager", "aria-label": "Pages" },
    prev,
    h("span", null, `${first}–${last} of ${meta.count}`),
    next,
  );
}
