// The org chart as a picture (SPEC §13): Graphviz DOT or Mermaid, each org with its member counts:
// those in the org itself, and all in it and below it.
import type { OrgNode } from './chart.js';

/** Every node, parents before children, in order; with an explicit stack: a chart may be thousands deep. */
function walk(nodes: OrgNode[], visit: (n: OrgNode, parent: OrgNode | null) => void) {
  const todo: Array<[OrgNode, OrgNode | null]> = nodes.map((n): [OrgNode, OrgNode | null] => [n, null]).reverse();
  while (todo.length) {
    const [n, parent] = todo.pop()!;
    visit(n, parent);
    for (let i = n.children.length - 1; i >= 0; i--) todo.push([n.children[i], n]);
  }
}

function ids(nodes: OrgNode[]): Map<OrgNode, string> {
  const out = new Map<OrgNode, string>();
  walk(nodes, (n) => out.set(n, `o${out.size + 1}`));
  return out;
}

/** "0 members · 607 in all": the org's own members, then the distinct members of its whole subtree. */
const members = (n: OrgNode) => `${n.members} member${n.members === 1 ? '' : 's'} · ${n.total} in all`;

export function toDot(nodes: OrgNode[], title: string): string {
  const id = ids(nodes);
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\u0000-\u001f]/g, ' ');
  const q = (s: string) => `"${esc(s)}"`;
  const lines = ['digraph orgchart {', `  label=${q(title)};`, '  rankdir=TB;', '  node [shape=box, style=rounded, fontname="Helvetica"];'];
  walk(nodes, (n) => lines.push(`  ${id.get(n)} [label="${esc(n.name)}\\n${members(n)}"];`));
  walk(nodes, (n, parent) => { if (parent) lines.push(`  ${id.get(parent)} -> ${id.get(n)};`); });
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function toMermaid(nodes: OrgNode[]): string {
  const id = ids(nodes);
  // Mermaid labels: quoted, with its own entity codes for characters that would end the label.
  const label = (s: string) => '"' + s.replace(/"/g, '#quot;').replace(/[\u0000-\u001f]/g, ' ') + '"';
  const lines = ['flowchart TD'];
  walk(nodes, (n) => lines.push(`  ${id.get(n)}[${label(`${n.name}<br/>${members(n)}`)}]`));
  walk(nodes, (n, parent) => { if (parent) lines.push(`  ${id.get(parent)} --> ${id.get(n)}`); });
  return lines.join('\n') + '\n';
}
