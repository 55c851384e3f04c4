// Repeated text held once: a roster's cells and the members a scan reads repeat a few values (a
// title, an org, a role, a removal's time and batch) across 100,000 rows.

/**
 * One string for each value seen (a title, an org, a role): 100,000 rows hold `Staff` once, not
 * 100,000 times. Up to `limit` distinct values; past that, values are kept as read (a column of
 * unique values gains nothing from it).
 */
export function interner(limit = 4096): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (seen.size < limit) seen.set(value, value);
    return value;
  };
}
