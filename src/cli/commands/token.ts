// rollcall token: API tokens for scripts and CI, printed once (SPEC §2).
import type { Command } from 'commander';
import { createToken, listTokens, revokeToken } from '../../core/auth/tokens.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';
import { TOKEN_CREATE_FIELDS, TOKEN_FIELDS, withOutput } from '../lists.js';

export function registerToken(program: Command, io: IO) {
  const token = program.command('token').description('API tokens for scripts and CI (ROLLCALL_TOKEN)');
  withOutput(token.command('create')
    .description('create an API token that acts as you; printed once'), TOKEN_CREATE_FIELDS)
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires-in <duration>', 'lifetime like 90d or 12h, or "never"', '90d')
    .addHelpText('after', examples('export ROLLCALL_TOKEN=$(rollcall token create --name ci --jq .token)'))
    .action(action(io, async (cli, o: { name: string; expiresIn: string }) => {
      const { ws, actor } = await cli.signedIn();
      const created = await ws.write(actor, (s) => createToken(s, o.name, o.expiresIn));
      await cli.render.record(created, () => {
        cli.render.out(`Token ${clean(created.name)} (${created.id}) expires ${created.expiresAt ?? 'never'}`);
        cli.render.secret('token', created.token, 'use it as ROLLCALL_TOKEN');
      });
    }));
  withOutput(token.command('list')
    .description('list API tokens (yours; an admin sees all)'), TOKEN_FIELDS, { csv: true })
    .addHelpText('after', examples('rollcall token list'))
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      const tokens = await ws.read(actor, (s) => listTokens(s));
      await cli.render.list({
        fields: TOKEN_FIELDS, headers: ['ID', 'NAME', 'MEMBER', 'CREATED', 'EXPIRES', 'REVOKED'], csv: TOKEN_FIELDS,
        row: (t) => [t.id, t.name, t.member, t.createdAt, t.expiresAt ?? 'never', t.revokedAt ?? ''],
      }, tokens);
    }));
  withOutput(token.command('revoke')
    .description('revoke an API token'), TOKEN_FIELDS)
    .addHelpText('after', examples('rollcall token revoke ci'))
    .argument('<id-or-name>', 'the token id or name')
    .action(action(io, async (cli, idOrName: string) => {
      const { ws, actor } = await cli.signedIn();
      const revoked = await ws.write(actor, (s) => revokeToken(s, idOrName));
      await cli.render.record(revoked, () => cli.render.out(`Revoked token ${clean(revoked.name)} (${revoked.id})`));
    }));
}
