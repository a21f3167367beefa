/** Length of `text` in Unicode code points, as people count characters (an emoji is one). */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
