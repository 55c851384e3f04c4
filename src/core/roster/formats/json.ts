// rollcall's own JSON (SPEC §8): `{ orgs: [path…], members: [{…}] }`, or a bare members array.
import { defineFormat, emptyRead, jsonStream, streamedText } from './format.js';
import { problemAt } from '../roster-file.js';
import { lazyJsonLines } from './document-lines.js';
import { readDocument, rosterItem } from './ours.js';

/** The line of JSON.parse's error, from the position V8 puts in its message. */
export function jsonErrorLine(text: string, e: Error): number | null {
  const at = /at position (\d+)/.exec(e.message);
  return at ? text.slice(0, Number(at[1])).split('\n').length : null;
}

/** JSON.stringify(rosterDocument(members, orgs), null, 2) and a line break, a batch at a time. */
const jsonWriter = () => jsonStream('members', ({ orgs }) => ({ orgs }), rosterItem);

export default defineFormat({
  name: 'json',
  description: "rollcall's JSON: { orgs: [path…], members: [{ email, name, … }] }",
  extensions: ['json'],
  // By name only: SCIM, which is JSON too, is recognised by content and so comes first.
  detect: (probe) => (probe.jsonish ? 'name' : undefined),
  parse(text, file, { yaml }) {
    const out = emptyRead();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      out.problems.push(problemAt(file, jsonErrorLine(text, e as Error), `not valid JSON: ${(e as Error).message}`, 'file'));
      return out;
    }
    return readDocument(data, file, out, lazyJsonLines(yaml, text), false);
  },
  stream: jsonWriter,
  export: (data) => streamedText(jsonWriter(), data),
});
