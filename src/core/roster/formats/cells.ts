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

/** The names in a CSV header line, whatever the delimiter (`,` `;` tab), unquoted and trimmed: for detection. */
export function headerNames(line: string): string[] {
  return line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
}

/**
 * U+2215 DIVISION SLASH, which stands for `/` in an org that other directories name by one flat
 * value (Entra's and Graph's `department`): `/` separates a path's orgs, and NFKC, which every org
 * name goes through, keeps ∕ but turns the full-width ／ into `/`.
 */
export const ORG_SLASH = '\u2215';

/** A flat name (a department) as one top-level org: NFKC first, then every `/` as ∕ (decisions.md). */
export function topLevelOrg(value: unknown): string | null {
  const s = textCell(value);
  return s === null ? null : s.normalize('NFKC').replace(/\//g, ORG_SLASH);
}

/**
 * The fields whose column holds a value in at least one row. Directory exports write every column
 * they know, fetched or not (Get-MgUser leaves Department empty unless asked for it): a column
 * empty in every row says nothing, so it is read as if it were absent and changes no member.
 */
export function filledFields(index: Map<string, number>, rows: ReadonlyArray<{ cells: string[] }>): Set<string> {
  const filled = new Set<string>();
  for (const [field, column] of index) if (rows.some((r) => (r.cells[column] ?? '').trim() !== '')) filled.add(field);
  return filled;
}

/** `True`/`False` (PowerShell, GAM), `true`/`false` (Graph JSON), any case: a boolean; '' → null; else undefined. */
export function boolCell(raw: string): boolean | null | undefined {
  const s = raw.trim().toLowerCase();
  return s === '' ? null : s === 'true' ? true : s === 'false' ? false : undefined;
}

/**
 * OWASP CSV injection: a cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
 * `@`, a tab or a CR) gets a leading `'`, which the spreadsheet shows as text. For CSV meant to be
 * opened in a spreadsheet: the `--csv` lists always, `export --formula-safe` when asked.
 */
export function formulaSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
