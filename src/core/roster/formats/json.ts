// rollcall's own JSON (SPEC §8): `{ orgs: [path…], members: [{…}] }`, or a bare members array.
import { defineFormat, emptyRead } from './format.js';
import { readDocument, rosterDocument } from './ours.js';

export default defineFormat({
  name: 'json',
  description: "rollcall's JSON: { orgs: [path…], members: [{ email, name, … }] }",
  extensions: ['json'],
  // By name only: SCIM, which is JSON too, is recognised by content and so comes first.
  detect: (probe) => (probe.jsonish ? 'name' : undefined),
  parse(text, file) {
    const out = emptyRead();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      out.problems.push(`${file}: not valid JSON: ${(e as Error).message}`);
      return out;
    }
    return readDocument(data, file, out);
  },
  export: ({ members, orgs }) => JSON.stringify(rosterDocument(members, orgs), null, 2) + '\n',
});
