/** A piece of a Markdown-ish sentence: plain text, or the inside of a `backtick` span. */
export interface Span {
  text: string;
  code: boolean;
}

/**
 * Splits `text` at backticks, as Markdown reads inline code: "broad `read` scope" → "broad ",
 * code "read", " scope". An unmatched backtick stays as it is. Scope descriptions are written
 * for the OpenAPI document (Markdown); the dashboard shows them with this.
 */
export function splitCodeSpans(text: string): Span[] {
  const spans: Span[] = [];
  const pattern = /`([^`]+)`/g;
  let last = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m.index > last) spans.push({ text: text.slice(last, m.index), code: false });
    spans.push({ text: m[1]!, code: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) spans.push({ text: text.slice(last), code: false });
  return spans;
}
