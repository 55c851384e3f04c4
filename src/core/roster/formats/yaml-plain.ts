// A member of `export --format yaml` written without the yaml package, when every value is one that
// the package writes as it is (a plain scalar): the package took ~55 µs a member, 5.5 s of a
// 100,000-member export. Anything else (quotes, escapes, folding, a value another type would read
// back: `true`, `null`, `123`) is left to the package, so the text is always the package's own
// (test/property/yaml-plain.property.test.ts compares the two on generated values).

/** The item's values, in the order the document has them (rosterItem's). */
export interface YamlItem {
  email: string;
  name: string;
  role: string;
  scope: readonly string[];
  org: string | null;
  orgs: readonly string[];
  title: string | null;
  status: string;
  startDate: string | null;
  id: string;
}

/**
 * Values the package writes plain, by a rule narrower than its own: a letter first, then letters,
 * digits, combining marks and `._@+/'-`, single spaces between words, nothing after the last one.
 * No value yaml would read as another type starts with a letter, but for these words (any case).
 */
const PLAIN = /^\p{L}[\p{L}\p{M}\p{N}._@+/'-]*(?: [\p{L}\p{M}\p{N}._@+/'-]+)*$/u;
const OTHER_TYPES = /^(?:true|false|null)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A value with a space, past this length, may be folded onto a second line (the package's lineWidth is 80). */
const UNFOLDED = 40;

function plain(value: string): boolean {
  if (DATE.test(value)) return true;
  if (value.length > UNFOLDED && value.includes(' ')) return false;
  return PLAIN.test(value) && !OTHER_TYPES.test(value);
}

const scalar = (value: string | null): string | null => (value === null ? 'null' : plain(value) ? value : null);

function list(values: readonly string[]): string | null {
  if (!values.length) return ' []';
  let text = '';
  for (const v of values) {
    if (!plain(v)) return null;
    text += `\n      - ${v}`;
  }
  return text;
}

/** The item as the package writes it in the members sequence (`  - email: …` on), or null when it is not all plain. */
export function plainYamlItem(m: YamlItem): string | null {
  const email = scalar(m.email);
  const name = scalar(m.name);
  const role = scalar(m.role);
  const scope = list(m.scope);
  const org = scalar(m.org);
  const orgs = list(m.orgs);
  const title = scalar(m.title);
  const status = scalar(m.status);
  const startDate = scalar(m.startDate);
  const id = scalar(m.id);
  if (email === null || name === null || role === null || scope === null || org === null || orgs === null
    || title === null || status === null || startDate === null || id === null) return null;
  return `  - email: ${email}\n    name: ${name}\n    role: ${role}\n    scope:${scope}\n    org: ${org}\n    orgs:${orgs}\n`
    + `    title: ${title}\n    status: ${status}\n    startDate: ${startDate}\n    id: ${id}\n`;
}
