/** A histogram as stored: "bucket:count,…", buckets ascending, zero counts left out. */
export const encodeHist = (h: Map<number, number>): string =>
  [...h.entries()]
    .filter(([, c]) => c !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([b, c]) => `${b}:${c}`)
    .join(',');

/** Parses a stored histogram. */
export function decodeHist(s: string): Map<number, number> {
  const h = new Map<number, number>();
  if (s === '') return h;
  for (const part of s.split(',')) {
    const [b, c] = part.split(':');
    h.set(Number(b), Number(c));
  }
  return h;
}
