// The shell examples of README.md, as test/e2e/readme-examples.test.ts runs them.
//
// A shell block is a fenced block whose language is `sh` or `bash` (indented ones, inside a list,
// included). The line before it (blank lines skipped) may be a marker `<!-- not run: REASON -->`:
// the block is then shown to readers but not run, for the reason given. A comment `# → TEXT` on a
// line of a block claims that the block prints the line TEXT (leading and trailing blanks aside);
// the claims of a block are checked in their order.

export const SHELL_LANGS = ['sh', 'bash'];
const FENCE = /^(\s*)```(\S*)\s*$/;
const MARKER = /^<!--\s*not run:(.*?)-->$/;
const MARKER_START = /^<!--\s*not run\b/;

export interface ShellBlock {
  /** The `## ` heading the block is under ('' before the first one). */
  section: string;
  /** 1-based line of the opening fence in README.md. */
  line: number;
  lang: string;
  /** The block's text, its fence's indentation removed. */
  code: string;
  /** The reason given by a `<!-- not run: … -->` marker right before the block, else null. */
  notRun: string | null;
  /** The `# → TEXT` claims, in order. */
  claims: string[];
}

export interface ParsedReadme {
  blocks: ShellBlock[];
  /** Problems with the markers themselves: one not followed by a shell block, one without a reason. */
  problems: string[];
}

export function parseReadme(text: string): ParsedReadme {
  const lines = text.split('\n');
  const blocks: ShellBlock[] = [];
  const problems: string[] = [];
  let section = '';
  let pending: { reason: string; line: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const open = FENCE.exec(line);
    if (open) {
      const indent = open[1].length;
      const lang = open[2];
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(Math.min(indent, lines[j].length - lines[j].trimStart().length)));
      if (SHELL_LANGS.includes(lang)) {
        const code = body.join('\n') + '\n';
        blocks.push({ section, line: i + 1, lang, code, notRun: pending?.reason ?? null, claims: claimsOf(code) });
      } else if (pending) {
        problems.push(`README.md:${pending.line}: the not-run marker is followed by a \`${lang || 'plain'}\` block, not a shell block`);
      }
      pending = null;
      i = j;
      continue;
    }
    if (pending) problems.push(`README.md:${pending.line}: the not-run marker is not followed by a shell block`);
    pending = null;
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (MARKER_START.test(trimmed)) {
      const m = MARKER.exec(trimmed);
      const reason = m ? m[1].trim() : '';
      if (!reason) problems.push(`README.md:${i + 1}: a not-run marker must read <!-- not run: REASON -->, with a reason`);
      pending = { reason: reason || '(none)', line: i + 1 };
    }
  }
  if (pending) problems.push(`README.md:${pending.line}: the not-run marker is not followed by a shell block`);
  return { blocks, problems };
}

/** The `# → TEXT` claims of a block, in order. */
export function claimsOf(code: string): string[] {
  const out: string[] = [];
  for (const line of code.split('\n')) {
    const at = line.indexOf('# → ');
    if (at >= 0) out.push(line.slice(at + '# → '.length).trim());
  }
  return out;
}

/** The claims not printed, in order: each must be a line of `stdout` after the previous claim's line. */
export function missingClaims(claims: string[], stdout: string): string[] {
  const printed = stdout.split('\n').map((l) => l.trim());
  const missing: string[] = [];
  let from = 0;
  for (const claim of claims) {
    const at = printed.indexOf(claim, from);
    if (at < 0) missing.push(claim);
    else from = at + 1;
  }
  return missing;
}
