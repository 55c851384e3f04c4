// rollcall domain: the workspace's email domains (SPEC §1).
import type { Command } from 'commander';
import { addDomain, listDomains, removeDomain } from '../../core/settings.js';
import { action, examples } from '../action.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';

async function printDomains(cli: Cli, domains: string[]) {
  if (cli.opts.json) return cli.render.printJson(domains);
  for (const d of domains) cli.render.out(d);
}

export function registerDomain(program: Command, io: IO) {
  const domain = program.command('domain').description("the workspace's email domains: members on them are internal");
  domain.command('list').description('list domains')
    .addHelpText('after', examples('rollcall domain list --json')).action(action(io, async (cli) => {
    const { ws, actor } = await cli.signedIn();
    await printDomains(cli, await ws.read(actor, (s) => listDomains(s)));
  }));
  domain.command('add').description('add a domain')
    .addHelpText('after', examples('rollcall domain add acme.co.jp')).argument('<domain>').action(action(io, async (cli, d: string) => {
    const { ws, actor } = await cli.signedIn();
    await printDomains(cli, await ws.write(actor, (s) => addDomain(s, d)));
  }));
  domain.command('rm').description('remove a domain no member uses')
    .addHelpText('after', examples('rollcall domain rm old-acme.example')).argument('<domain>').action(action(io, async (cli, d: string) => {
    const { ws, actor } = await cli.signedIn();
    await printDomains(cli, await ws.write(actor, (s) => removeDomain(s, d)));
  }));
}
