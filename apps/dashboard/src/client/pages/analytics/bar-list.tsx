/** A ranked list with a bar for each figure: readable as text, drawn with CSS. */
export function BarList(props: {
  title: string;
  items: { label: string; value: number; text: string }[];
  empty: string;
}) {
  const max = Math.max(1, ...props.items.map((i) => i.value));
  return (
    <section class="card">
      <h2>{props.title}</h2>
      {props.items.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <ul class="bars" aria-label={props.title}>
          {props.items.map((item) => (
            <li key={item.label}>
              <span class="bar-label">{item.label}</span>
              <span class="bar" aria-hidden="true">
                <span style={{ width: `${(item.value / max) * 100}%` }} />
              </span>
              <span class="bar-value">{item.text}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
