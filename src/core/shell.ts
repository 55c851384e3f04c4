// Hints suggest commands to run (`rollcall group transfer-owner NAME --to …`); a name, an address or
// a path given by someone else must paste into a shell as one word and never as shell syntax.

const PLAIN = /^[A-Za-z0-9@%+=:,./_-]+$/;

/** WORD as one POSIX shell word: as it is when plain, else in single quotes (a ' as '\''). */
export function shellQuote(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
