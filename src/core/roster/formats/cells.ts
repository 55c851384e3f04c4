// Cells and headers: the small, package-free helpers every format's parser shares.

/** `a;b; c` or an array → trimmed, non-empty items. */
export function listCell(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value.map(String) : String(value).split(';');
  return items.map((s) => s.trim()).filter(Boolean);
}

export function textCell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

/** Maps header names (case-insensitive, trimmed) to column indexes through an alias table. */
export function headerIndex(header: string[], aliases: Record<string, string>): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const key = aliases[h.normalize('NFKC').trim().toLowerCase()];
    if (key && !index.has(key)) index.set(key, i);
  });
  return index;
}
