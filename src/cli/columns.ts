// Table columns that fit the terminal: widths in terminal cells, East Asian wide characters counted twice.

/** Terminal columns a string takes: colour codes take none, East Asian wide characters two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) {
    const cp = ch.codePointAt(0)!;
    width += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff)
      || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x1f300 ? 2 : 1;
  }
  return width;
}

/**
 * Column widths for a table that fits the terminal: each column as wide as its widest cell, then
 * the widest column narrowed, one column at a time, until the row fits (its cells then wrap). No
 * column is narrowed below 12, so short values (a status, a role) never wrap and may be coloured.
 */
export function fitColumns(rows: readonly string[][], terminal: number, gap: number): number[] {
  const widths = rows[0].map((_, i) => Math.max(1, ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  const MIN = 12;
  // The first column names the row (an email, a path): narrowed only when nothing else can be.
  const narrowable = () => {
    const others = widths.map((w, i) => (i > 0 && w > MIN ? i : -1)).filter((i) => i >= 0);
    const pool = others.length ? others : widths[0] > MIN ? [0] : [];
    return pool.length ? pool.reduce((a, b) => (widths[b] > widths[a] ? b : a)) : -1;
  };
  while (total() > terminal) {
    const widest = narrowable();
    if (widest < 0) break;
    widths[widest]--;
  }
  return widths;
}
