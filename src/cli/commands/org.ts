import type { Command } from 'commander';
import { addOrg, listOrgs, moveOrg, orgTree, orgsToRemove, removeOrg, renameOrg, type OrgNode } from '../../core/orgs/chart.js';
import { fail } from '../../core/errors.js';
import { toDot, toMermaid } from '../../core/orgs/diagram.js';
import { readSettings } from '../../core/settings.js';
import { action, examples } from '../action.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';
import { ORG_FIELDS, withOutput } from '../lists.js';

/** The chart as an indented tree, with an explicit stack: a chart from before the depth limit may be thousands deep. */
function printTree(cli: Cli, nodes: OrgNode[]) {
  const todo: Array<{ n: OrgNode; prefix: string; last: boolean }> = [];
  const push = (list: OrgNode[], prefix: string) => {
    for (let i = list.length - 1; i >= 0; i--) todo.push({ n: list[i], prefix, last: i === list.length - 1 });
  };
  push(nodes, '');
  while (todo.length) {
    const { n, prefix, last } = todo.pop()!;
    const count = cli.render.paint.dim(`(${n.members} · ${n.total})`); // its own members · all in it and below
    cli.render.out(`${prefix}${last ? '└── ' : '├── '}${clean(n.name)} ${count}`);
    push(n.children, prefix + (last ? '    ' : '│   '));
  }
}

export function registerOrg(program: Command, io: IO) {
  const org = program.command('org').description('the org chart: orgs addressed by paths like Sales/Tokyo');
  withOutput(org.command('add'), ORG_FIELDS)
    .description('add an org')
    .argument('<path>', 'e.g. Sales/Tokyo')
    .option('-p, --parents', 'create missing parent orgs too')
    .addHelpText('after', examples('rollcall org add Sales/Tokyo/Enterprise --parents'))
    .action(action(io, async (cli, path: string, o: { parents?: boolean }) => {
      const { ws, actor } = await cli.signedIn();
      const v = await ws.write(actor, (s) => addOrg(s, path, !!o.parents));
      await cli.render.record(v, () => cli.render.out(`Added ${clean(v.path)}`));
    }));
  withOutput(org.command('rename'), ORG_FIELDS)
    .description('rename an org; members and scopes follow')
    .addHelpText('after', examples('rollcall org rename Sales/Osaka Kansai'))
    .argument('<path>').argument('<new-name>')
    .action(action(io, async (cli, path: string, name: string) => {
      const { ws, actor } = await cli.signedIn();
      const v = await ws.write(actor, (s) => renameOrg(s, path, name));
      await cli.render.record(v, () => cli.render.out(`Renamed to ${clean(v.path)}`));
    }));
  withOutput(org.command('mv'), ORG_FIELDS)
    .description('move an org under another ("/" for the top level)')
    .argument('<path>').argument('<new-parent>')
    .addHelpText('after', examples('rollcall org mv Sales/Osaka West   # to West/Osaka: West must exist', 'rollcall org mv Sales/Osaka /      # to the top level'))
    .action(action(io, async (cli, path: string, parent: string) => {
      const { ws, actor } = await cli.signedIn();
      const v = await ws.write(actor, (s) => moveOrg(s, path, parent));
      await cli.render.record(v, () => cli.render.out(`Moved to ${clean(v.path)}`));
    }));
  org.command('rm')
    .description('remove an org and everything below it (only when no member is in it)')
    .addHelpText('after', examples('rollcall org rm Sales/Osaka   # asks, listing the orgs removed', 'rollcall org rm Sales/Osaka --yes'))
    .argument('<path>')
    .action(action(io, async (cli, path: string) => {
      const { ws, actor } = await cli.signedIn();
      const doomed = await ws.read(actor, (s) => orgsToRemove(s, path)); // who may, and whether a rule forbids it, before asking
      await cli.prompt.confirm(`Remove ${doomed.length === 1 ? 'this org' : `these ${doomed.length} orgs`}?`, 'removing an org', doomed.map((v) => v.path));
      const removed = await ws.write(actor, (s) => removeOrg(s, path));
      if (cli.opts.json) return cli.render.printJson(removed);
      for (const v of removed) cli.render.out(`Removed ${clean(v.path)}`);
    }));
  withOutput(org.command('list')
    .description('every org as a path'), ORG_FIELDS, { csv: true })
    .addHelpText('after', examples('rollcall org list'))
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      const list = await ws.read(actor, (s) => listOrgs(s));
      await cli.render.list({ fields: ORG_FIELDS, headers: ['PATH'], row: (v) => [v.path], csv: ORG_FIELDS }, list);
    }));
  org.command('tree')
    .description("the org chart with member counts (the org's own · all in it and below); as a picture with --format dot|mermaid")
    .option('--format <format>', 'text (default), dot (Graphviz) or mermaid (Markdown, GitHub)', 'text')
    .addHelpText('after', examples('rollcall org tree --format dot | dot -Tpng > orgchart.png', 'rollcall org tree --format mermaid >> ORGCHART.md'))
    .action(action(io, async (cli, o: { format: string }) => {
      if (!['text', 'dot', 'mermaid'].includes(o.format)) fail('USAGE', `--format takes text, dot or mermaid: got "${o.format}"`);
      if (o.format !== 'text' && cli.opts.jq !== undefined) fail('USAGE', `--jq filters JSON, and --format ${o.format} draws a picture: give one of them`);
      const { ws, actor } = await cli.signedIn();
      const { nodes, name } = await ws.read(actor, async (s) => ({ nodes: await orgTree(s), name: (await readSettings(s)).name }));
      if (o.format === 'dot') return void io.stdout.write(toDot(nodes, name));
      if (o.format === 'mermaid') return void io.stdout.write(toMermaid(nodes));
      if (cli.opts.json) return cli.render.printJson(nodes);
      if (!nodes.length) return cli.render.out('(no orgs yet: rollcall org add PATH)');
      printTree(cli, nodes);
    }));
}
