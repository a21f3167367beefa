/** Previous / next for a paged list (`meta` of the API). */
export function Pager(props: {
  meta: { limit: number; offset: number; count: number };
  go: (offset: number) => void;
}) {
  const { limit, offset, count } = props.meta;
  const first = count === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, count);
  return (
    <nav class="pager" aria-label="Pages">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => props.go(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <span>{`${first}–${last} of ${count}`}</span>
      <button type="button" disabled={last >= count} onClick={() => props.go(offset + limit)}>
        Next
      </button>
    </nav>
  );
}
