// rollcall context: names for workspaces (issue 23.5), like kubectl's contexts. No workspace is
// opened: a context is only a name for one, kept in contexts.yaml in the config folder.
import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { action, examples } from '../action.js';
import type { Cli } from '../context.js';
import { checkContextName, contextsPath, findContext, readContexts, writeContexts, type ContextsFile } from '../contexts.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';

interface ContextView {
  name: string;
  workspace: string;
  current: boolean;
}

const view = (file: ContextsFile, name: string): ContextView => ({ name, workspace: file.contexts[name].workspace, current: file.current === name });

/** A postgres:// URL that carries a password (user:PASSWORD@ or ?password=). */
function hasPassword(url: string): boolean {
  try {
    const u = new URL(url.replace('@/', '@__nohost__/'));
    return !!u.password || u.searchParams.has('password');
  } catch {
    return /\/\/[^/@:]*:[^@/]*@/.test(url);
  }
}

function show(cli: Cli, v: ContextView, source?: string) {
  if (cli.opts.json) return cli.render.printJson(v);
  const pairs: Array<[string, unknown]> = [['name', v.name], ['workspace', v.workspace], ['current', v.current ? 'yes' : 'no']];
  if (source) pairs.push(['chosen by', source]);
  cli.render.fields(pairs);
}

/** Says when the environment, not the current context, picks the workspace. */
function noteOverride(cli: Cli) {
  for (const v of ['ROLLCALL_WORKSPACE', 'ROLLCALL_CONTEXT']) {
    if (cli.io.env[v]) return cli.render.note(`note: ${v} is set, and chooses the workspace before the current context does`);
  }
}

const SHAPE = `
The file (${'$'}ROLLCALL_CONFIG_DIR/contexts.yaml, mode 0600):
  current: prod
  contexts:
    prod:
      workspace: "postgres://rollcall@db.internal/acme"
    laptop:
      workspace: "/home/ann/acme.db"
A context never holds a password: put it in ~/.pgpass or PGPASSWORD. Which workspace a command
uses, in order: rollcall help environment.`;

export function registerContext(program: Command, io: IO) {
  const context = program.command('context').description('named workspaces, used with --context NAME or as the current one')
    .addHelpText('after', SHAPE);
  context.command('add')
    .description('name a workspace (-w PATH|URL): a SQLite file (kept as an absolute path) or a postgres:// URL')
    .argument('<name>', 'the context name: letters, digits, ".", "_" and "-"')
    .option('--use', 'make it the current context too')
    .option('--force', 'replace a context of the same name')
    .addHelpText('after', examples('rollcall context add prod -w postgres://rollcall@db.internal/acme --use', 'rollcall context add laptop -w ./acme.db'))
    .action(action(io, async (cli, name: string, o: { use?: boolean; force?: boolean }) => {
      checkContextName(name);
      const raw = cli.opts.workspace;
      if (!raw) fail('USAGE', `name the workspace of context "${name}" with -w/--workspace PATH|URL`, `rollcall context add ${name} -w postgres://USER@HOST/DATABASE`);
      if (cli.isPostgresUrl(raw) && hasPassword(raw)) {
        fail('INVALID_INPUT', 'a context never stores a password, and this URL holds one', 'remove the password from the URL; rollcall reads it from ~/.pgpass (PGPASSFILE) or PGPASSWORD');
      }
      const file = readContexts(io);
      if (Object.hasOwn(file.contexts, name) && !o.force) fail('ALREADY_EXISTS', `a context named "${name}" already exists`, `rollcall context show ${name}; add --force to replace it`);
      file.contexts[name] = { workspace: cli.absoluteWorkspace(raw) };
      if (o.use) file.current = name;
      writeContexts(io, file);
      const v = view(file, name);
      if (cli.opts.json) return cli.render.printJson(v);
      cli.render.out(`Added context ${clean(name)}: ${clean(v.workspace)}${v.current ? ' (current)' : ''}`);
      if (v.current) noteOverride(cli);
    }));
  context.command('use')
    .description('make a context the current one: the workspace of commands that name none')
    .argument('<name>', 'the context')
    .addHelpText('after', examples('rollcall context use prod'))
    .action(action(io, async (cli, name: string) => {
      const file = readContexts(io);
      findContext(io, file, name, '--context');
      file.current = name;
      writeContexts(io, file);
      if (cli.opts.json) return cli.render.printJson(view(file, name));
      cli.render.out(`Using context ${clean(name)}: ${clean(file.contexts[name].workspace)}`);
      noteOverride(cli);
    }));
  context.command('list')
    .description('every context; * marks the current one')
    .addHelpText('after', examples('rollcall context list', 'rollcall context list --json'))
    .action(action(io, async (cli) => {
      const file = readContexts(io);
      const list = Object.keys(file.contexts).sort().map((n) => view(file, n));
      if (cli.opts.json) return cli.render.printJson(list);
      if (!list.length) return cli.render.note(`no contexts in ${contextsPath(io)}: add one with rollcall context add NAME -w PATH|URL`);
      await cli.render.table(['CURRENT', 'NAME', 'WORKSPACE'], list.map((v) => [v.current ? '*' : '', v.name, v.workspace]));
    }));
  context.command('show')
    .description('a context: its workspace and whether it is current; without a name, the one in use')
    .argument('[name]', 'the context (default: the one this command would use)')
    .addHelpText('after', examples('rollcall context show', 'rollcall context show prod --json'))
    .action(action(io, async (cli, name: string | undefined) => {
      const file = readContexts(io);
      if (name !== undefined) {
        findContext(io, file, name, '--context');
        return show(cli, view(file, name));
      }
      const choice = cli.workspaceChoice;
      if (!choice.context) {
        const why = choice.source === 'default' ? 'the default' : `from ${choice.source}`;
        fail('NOT_FOUND', `no context is in use: the workspace is ${cli.displayWorkspace} (${why})`, 'rollcall context use NAME, or --context NAME; rollcall context list');
      }
      show(cli, view(file, choice.context), choice.source);
    }));
  context.command('rm')
    .description('forget a context (the workspace itself is untouched)')
    .argument('<name>', 'the context')
    .addHelpText('after', examples('rollcall context rm laptop'))
    .action(action(io, async (cli, name: string) => {
      const file = readContexts(io);
      const v = view({ ...file, contexts: { [name]: findContext(io, file, name, '--context') } }, name);
      delete file.contexts[name];
      if (file.current === name) file.current = null;
      writeContexts(io, file);
      if (cli.opts.json) return cli.render.printJson(v);
      cli.render.out(`Removed context ${clean(name)}${v.current ? ': there is no current context now' : ''}`);
    }));
}
