// JSON as rollcall prints it (--json output and JSON errors).

const INDENT = '  ';

/**
 * JSON text for `value`: JSON.stringify(value, null, 2) when `pretty`, else one line. A value
 * nested too deep for JSON.stringify's recursion (an org tree from before the depth limit,
 * thousands of levels) is written without recursion, on one line: indenting it would cost more
 * than the tree itself.
 */
export function toJson(value: unknown, pretty = true): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, pretty ? INDENT : undefined);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    text = stringifyFlat(value);
  }
  return escapeRaw(text);
}

/**
 * Items per JSON.stringify call when output is written in pieces. The text of 100 members (~50 KB)
 * stays below V8's large-object size (128 KB); a larger text is given memory of its own, mapped
 * and faulted in afresh for every batch: a bare script listing 100,000 members took 0.94 s with
 * 1,000 a call, 0.60 s with 100.
 */
export const ITEMS_PER_TEXT = 100;

/**
 * A JSON array written a batch of items at a time: the pieces (`first` for the first batch, then
 * `arrayEnd` with the number written) join into toJson(allItems) exactly, made as they are taken
 * (a restore's 100,000 members are never all text at once). Each piece is JSON.stringify's own text
 * for up to ITEMS_PER_TEXT items, without the brackets: items sit at the
 * same depth either way. For flat items (records of scalars and lists), which never nest deep
 * enough for stringifyFlat.
 */
export function* arrayItems(items: readonly unknown[], first: boolean): Generator<string> {
  for (let at = 0; at < items.length; at += ITEMS_PER_TEXT) {
    const text = JSON.stringify(items.slice(at, at + ITEMS_PER_TEXT), null, INDENT);
    yield (first && at === 0 ? '[' : ',') + escapeRaw(text.slice(1, -2));
  }
}

export function arrayEnd(count: number): string {
  return count ? '\n]' : '[]';
}

/** Text of JSON.stringify(value, null, 2), nested one level deeper (as a member of an object). */
const nested = (value: unknown) => JSON.stringify(value, null, INDENT).replace(/\n/g, '\n' + INDENT);

/**
 * toJson(record) for a record of flat values, handed to `write` in pieces: a list member a batch of
 * items at a time (a 100,000-change plan is never one string). The pieces join into toJson(record)
 * exactly: raw newlines occur only between JSON tokens, so indenting a level deeper is a replace.
 */
export async function writeJsonPieces(record: Record<string, unknown>, write: (piece: string) => unknown, batch = ITEMS_PER_TEXT): Promise<void> {
  const keys = Object.keys(record).filter((k) => !omitted(prepare(record[k], k)));
  if (!keys.length) return void (await write('{}'));
  for (const [i, key] of keys.entries()) {
    const value = prepare(record[key], key);
    await write(escapeRaw(`${i ? ',' : '{'}\n${INDENT}${JSON.stringify(key)}: `));
    if (!Array.isArray(value) || !value.length) {
      await write(escapeRaw(nested(value)));
      continue;
    }
    for (let at = 0; at < value.length; at += batch) {
      const items = nested(value.slice(at, at + batch));
      await write(escapeRaw((at ? ',' : '[') + items.slice(1, -(INDENT.length + 2))));
    }
    await write(`\n${INDENT}]`);
  }
  await write('\n}');
}

/**
 * Characters JSON.stringify leaves raw that a terminal or a JavaScript parser may act on: DEL, the
 * C1 controls (U+0080–U+009F, U+009B is a CSI), the line and paragraph separators, and the bidi
 * marks, embeddings, overrides and isolates that reorder what a terminal shows. They only occur
 * inside strings, so a \uXXXX escape there reads back as the same text.
 */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeRaw(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** A value to write (`ready`: toJSON already applied), or literal text. */
type Item = { value: unknown; key: string; ready?: boolean } | { text: string };

/** What JSON.stringify would do with a value before writing it: toJSON, and undefined for what it leaves out. */
function prepare(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  return value;
}

const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** JSON.stringify(value) without recursion: an explicit stack of values and literal text. */
export function stringifyFlat(value: unknown): string {
  const out: string[] = [];
  const todo: Item[] = [{ value, key: '' }];
  while (todo.length) {
    const item = todo.pop()!;
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const v = item.ready ? item.value : prepare(item.value, item.key);
    if (v === null || typeof v !== 'object') {
      out.push(omitted(v) ? 'null' : JSON.stringify(v));
      continue;
    }
    // Pushed in reverse: the stack pops them in writing order.
    if (Array.isArray(v)) {
      todo.push({ text: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        todo.push({ value: v[i], key: String(i) });
        if (i > 0) todo.push({ text: ',' });
      }
      out.push('[');
      continue;
    }
    const entries = Object.keys(v)
      .map((k): [string, unknown] => [k, prepare((v as Record<string, unknown>)[k], k)])
      .filter(([, x]) => !omitted(x));
    todo.push({ text: '}' });
    for (let i = entries.length - 1; i >= 0; i--) {
      todo.push({ value: entries[i][1], key: entries[i][0], ready: true });
      todo.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(entries[i][0])}:` });
    }
    out.push('{');
  }
  return out.join('');
}
