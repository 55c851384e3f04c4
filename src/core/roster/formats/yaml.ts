// rollcall's own YAML (SPEC §8): `{ orgs: [path…], members: [{…}] }`, rows named by their line.
import type * as Yaml from 'yaml';
import { linesOf } from './document-lines.js';
import { defineFormat, emptyRead, streamedText, type ExportLibs, type RosterStream } from './format.js';
import { problemAt } from '../roster-file.js';
import { readDocument, rosterItem } from './ours.js';
import { plainYamlItem, type YamlItem } from './yaml-plain.js';

const MAX_YAML_DEPTH = 64;

/**
 * How deeply a YAML text nests collections, read from yaml's concrete syntax tree (built without
 * recursion) and walked with an explicit stack. Composing a hostile document 100,000 levels deep
 * would recurse until V8 gives up, and near the stack's limit V8 may abort the process instead
 * of throwing; a roster never nests more than a few levels.
 */
function yamlDepthExceeds(yaml: typeof Yaml, text: string, max: number): boolean {
  const stack: Array<[unknown, number]> = [];
  for (const token of new yaml.Parser().parse(text)) stack.push([token, 0]);
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    const type = (node as { type?: unknown }).type;
    const d = type === 'block-map' || type === 'block-seq' || type === 'flow-collection' ? depth + 1 : depth;
    if (d > max) return true;
    for (const child of Object.values(node as object)) if (child && typeof child === 'object') stack.push([child, d]);
  }
  return false;
}

/**
 * Whether text looks like YAML by its first line that is neither blank nor a comment: a document
 * marker (`---`, `%YAML`), a sequence item (`- email: …`) or a mapping key (`members:`, `orgs:`).
 * A CSV header has no `key:` followed by a space before its first delimiter, and Entra's
 * `version:v1.0` has no space.
 */
export function looksLikeYaml(text: string): boolean {
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start) >>> 0;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    return /^(?:---|\.\.\.|-)(?:\s|$)|^%YAML\s|^[A-Za-z_][\w .-]*:(?:\s|$)/.test(line);
  }
  return false;
}

const MEMBERS_KEY = 'members:\n';

/**
 * yaml.stringify({ orgs, members }), a batch at a time: each part is yaml's own text for a document
 * of that key alone (`orgs:` first, as the whole document has it), and each member is yaml's
 * `members:` document of that member alone without its first line, or the same text written
 * directly when all its values are plain (yaml-plain.ts). Items of a block sequence are written one
 * after another at the same indentation, whatever came before: the parts join into the whole
 * document's text (test/core/read-streams.test.ts compares them on awkward values).
 */
function yamlStream({ yaml }: ExportLibs): RosterStream {
  const byPackage = (item: YamlItem) => {
    const text = yaml.stringify({ members: [item] });
    if (!text.startsWith(MEMBERS_KEY)) throw new Error('yaml wrote an unexpected members document');
    return text.slice(MEMBERS_KEY.length);
  };
  return {
    head: ({ orgs }) => yaml.stringify({ orgs }),
    members(batch, first) {
      let text = first ? MEMBERS_KEY : '';
      for (const v of batch) {
        const item = rosterItem(v);
        text += plainYamlItem(item) ?? byPackage(item);
      }
      return text;
    },
    tail: (count) => (count ? '' : yaml.stringify({ members: [] })),
  };
}

export default defineFormat({
  name: 'yaml',
  description: "rollcall's YAML: orgs: [path…] and members: [{ email, name, … }]",
  extensions: ['yaml', 'yml'],
  // Without an extension (standard input), by its look: `export --format yaml | apply -`.
  detect: ({ ext, jsonish, text }) => (ext === undefined && !jsonish && looksLikeYaml(text) ? 'name' : undefined),
  parse(text, file, { yaml }) {
    const out = emptyRead();
    if (yamlDepthExceeds(yaml, text, MAX_YAML_DEPTH)) {
      out.problems.push(problemAt(file, null, `not usable YAML: collections nested more than ${MAX_YAML_DEPTH} levels deep`, 'file'));
      return out;
    }
    const lines = new yaml.LineCounter();
    const doc = yaml.parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length) {
      for (const e of doc.errors.slice(0, 20)) out.problems.push(problemAt(file, lines.linePos(e.pos[0]).line, `not valid YAML: ${e.message.split('\n')[0]}`, 'file'));
      return out;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      out.problems.push(problemAt(file, null, `not usable YAML: ${(e as Error).message}`, 'file'));
      return out;
    }
    return readDocument(data, file, out, linesOf(yaml, doc, lines), true);
  },
  stream: yamlStream,
  export: (data, libs) => streamedText(yamlStream(libs), data),
});
