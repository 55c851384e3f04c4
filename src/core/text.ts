// Free text a member record holds (names, titles): one rule for commands and roster rows alike.
const TEXT_MAX = 200;

/** What is wrong with a free-text value, or null. NUL is refused: PostgreSQL cannot store it, and no name needs it. */
export function textProblem(value: string, what: string): string | null {
  if (value.includes('\u0000')) return `the ${what} contains a NUL character`;
  if (value.length > TEXT_MAX) return `the ${what} is ${value.length} characters long; at most ${TEXT_MAX} are allowed`;
  return null;
}
