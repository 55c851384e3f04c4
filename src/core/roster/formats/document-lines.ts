// Lines of nodes in a YAML or JSON document, for problems that name where they are. YAML's parser
// keeps positions; JSON.parse does not, so a JSON file is parsed again (as YAML, of which JSON is
// a subset) only when a problem needs a line: a valid roster never pays for it.
import type * as Yaml from 'yaml';
import type { LineAt } from './ours.js';

type Doc = ReturnType<typeof Yaml.parseDocument>;

/** The line each path in `doc` starts on; a path that is not there gives its nearest ancestor's. */
export function linesOf(yaml: typeof Yaml, doc: Doc, lines: Yaml.LineCounter): LineAt {
  return (path) => {
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
      // A key whose value is empty (`title:`) has no node of its own: the key's is in its pair.
      const parent = n > 1 ? doc.getIn(path.slice(0, n - 1), true) : doc.contents;
      if (yaml.isMap(parent)) {
        const pair = parent.items.find((p) => yaml.isScalar(p.key) && p.key.value === path[n - 1]);
        const key = pair?.key as { range?: [number, number, number] } | undefined;
        if (key?.range) return lines.linePos(key.range[0]).line;
      }
    }
    return undefined;
  };
}

/** linesOf for a JSON text, parsed on the first question. */
export function lazyJsonLines(yaml: typeof Yaml, text: string): LineAt {
  let lineAt: LineAt | undefined;
  return (path) => {
    if (!lineAt) {
      const lines = new yaml.LineCounter();
      try {
        lineAt = linesOf(yaml, yaml.parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false }), lines);
      } catch {
        lineAt = () => undefined;
      }
    }
    return lineAt(path);
  };
}
