// "Did you mean …?": the nearest of some known words to a mistyped one.

/** Edits between a and b: insertions, deletions, substitutions and swaps of neighbours (OSA distance). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known word nearest to `word` (case-insensitively), if it is near enough to be a slip: at most
 * a third of its letters wrong, and at least one right. `known` maps spellings to what to suggest.
 */
export function nearest(word: string, known: Iterable<[spelling: string, suggestion: string]>): string | undefined {
  const w = word.toLowerCase();
  let best: { suggestion: string; distance: number } | undefined;
  for (const [spelling, suggestion] of known) {
    const distance = editDistance(w, spelling.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(w.length, spelling.length) / 3));
    if (distance <= allowed && distance < w.length && (!best || distance < best.distance)) best = { suggestion, distance };
  }
  return best?.suggestion;
}
