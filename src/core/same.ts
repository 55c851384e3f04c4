// Field values compared as a plan or an update compares them: lists item by item, in order.

/** Whether two field values are the same: equal, or lists of equal items in the same order. */
export function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
