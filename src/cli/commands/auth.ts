import type { Command } from 'commander';
import { changePassword, login, logout } from '../../core/auth/sign-in.js';
import { createToken, listTokens, revokeToken } from '../../core/auth/tokens.js';
import { initWorkspace, prepareInit } from '../../core/init.js';
import { checkPasswordPolicy } from '../../core/credentials.js';
import { domainOf, localPart, parseDomain, parseEmail } from '../../core/email.js';
import { fail } from '../../core/errors.js';
import { checkName } from '../../core/text.js';
import { existsSync, unlinkSync } from 'node:fs';
import { isPostgresUrl } from '../../store/open.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';
import { dropSession, loadSession, saveSession } from '../sessions.js';

export function registerAuth(program: Command, io: IO) {
  program.command('init')
    .description('create a workspace and its first admin, and sign that admin in')
    .option('--name <name>', 'the workspace name (asked at a terminal)')
    .option('--domain <domain>', "the workspace's email domain (asked at a terminal)")
    .option('--admin <email>', 'the first admin, on that domain (asked at a terminal)')
    .option('--admin-name <name>', "the admin's display name (default: the address's local part)")
    .option('--seat-limit <n>', 'seats the workspace may hold (default 100)')
    .option('--password-stdin', "read the admin's password from standard input (else asked twice, hidden)")
    .addHelpText('after', examples('rollcall init                       # at a terminal: asks for each value', 'echo "$ADMIN_PASSWORD" | rollcall init --name Acme --domain acme.example --admin alice@acme.example --password-stdin'))
    .action(action(io, async (cli, o: { name?: string; domain?: string; admin?: string; adminName?: string; seatLimit?: string; passwordStdin?: boolean }) => {
      // The workspace is checked first (SPEC §2 order): an existing file is ALREADY_EXISTS whatever else is wrong.
      if (!isPostgresUrl(cli.workspaceName) && existsSync(cli.workspaceName)) fail('ALREADY_EXISTS', `a workspace already exists at ${cli.workspaceName}`, 'pick another path with -w, or use the existing workspace');
      const name = await cli.ask(o.name, '--name', 'workspace name', { check: (v) => checkName(v, 'workspace name') });
      const domain = await cli.ask(o.domain, '--domain', 'email domain (like acme.example)', { check: parseDomain });
      const admin = await cli.ask(o.admin, '--admin', "first admin's email", {
        default: o.admin === undefined && cli.interactive ? `admin@${parseDomain(domain)}` : undefined,
        check: (v) => { if (domainOf(parseEmail(v)) !== parseDomain(domain)) fail('INVALID_INPUT', `the admin's address must be on ${parseDomain(domain)}`); },
      });
      const adminName = o.adminName ?? (o.admin === undefined && cli.interactive
        ? await cli.ask(undefined, '--admin-name', "admin's display name", { default: localPart(parseEmail(admin)), check: (v) => checkName(v) })
        : undefined);
      const password = await cli.secret('password', !!o.passwordStdin, 0, { confirm: true, check: checkPasswordPolicy });
      const prepared = await prepareInit({ name, domain, adminEmail: admin, adminName, seatLimit: o.seatLimit, password });
      const ws = await cli.open({ create: true });
      let signed;
      try {
        signed = await initWorkspace(ws, prepared);
      } catch (e) {
        await cli.close();
        if (!isPostgresUrl(cli.workspaceName)) {
          for (const suffix of ['', '-wal', '-shm']) try { unlinkSync(cli.workspaceName + suffix); } catch { /* not there */ }
        }
        throw e;
      }
      saveSession(io, cli.sessionKey, { email: signed.member.email, token: signed.sessionToken, expiresAt: signed.expiresAt });
      if (cli.opts.json) return cli.render.printJson({ workspace: cli.sessionKey, email: signed.member.email, role: 'admin', expiresAt: signed.expiresAt });
      cli.render.out(`Created workspace ${prepared.name} at ${cli.sessionKey}`);
      cli.render.out(`Signed in as ${signed.member.email} (admin) until ${signed.expiresAt}`);
    }));

  program.command('login')
    .description('sign in to the workspace (a session lasts 12 hours)')
    .argument('[email]', 'your email (asked at a terminal)')
    .option('--password-stdin', 'read the password from standard input (else asked, hidden)')
    .addHelpText('after', examples('rollcall login alice@acme.example', 'echo "$PASSWORD" | rollcall login alice@acme.example --password-stdin'))
    .action(action(io, async (cli, emailArg: string | undefined, o: { passwordStdin?: boolean }) => {
      const email = await cli.ask(emailArg, 'EMAIL', 'your email', { check: parseEmail });
      const password = await cli.secret('password', !!o.passwordStdin);
      const ws = await cli.open();
      const signed = await login(ws, email, password);
      saveSession(io, cli.sessionKey, { email: signed.member.email, token: signed.sessionToken, expiresAt: signed.expiresAt });
      if (cli.opts.json) return cli.render.printJson({ email: signed.member.email, role: signed.member.role, expiresAt: signed.expiresAt });
      cli.render.out(`Signed in as ${signed.member.email} until ${signed.expiresAt}`);
    }));

  program.command('logout')
    .description('end the stored session for this workspace')
    .addHelpText('after', examples('rollcall logout'))
    .action(action(io, async (cli) => {
      const stored = loadSession(io, cli.sessionKey);
      if (stored) {
        try {
          await logout(await cli.open(), stored.token);
        } finally {
          dropSession(io, cli.sessionKey);
        }
      }
      if (cli.opts.json) return cli.render.printJson({ signedOut: !!stored });
      cli.render.out(stored ? `Signed out ${stored.email}` : 'Not signed in');
    }));

  program.command('whoami')
    .description('show who is acting: the API token in ROLLCALL_TOKEN, else the stored session')
    .addHelpText('after', examples('rollcall whoami --json'))
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      const scope = await ws.read(actor, async (s) => {
        const { OrgTree } = await import('../../core/orgs/tree.js');
        const tree = new OrgTree(await s.orgs());
        return actor.scope.map((id) => tree.pathOf(id) ?? id);
      });
      const who = { email: actor.email, role: actor.role, scope };
      if (cli.opts.json) return cli.render.printJson(who);
      cli.render.out(`${actor.email} (${actor.role}${scope.length ? ': ' + scope.join(', ') : ''})`);
    }));

  program.command('passwd')
    .description('change a password by the current one (also a temporary one); needs no session')
    .addHelpText('after', examples('rollcall passwd   # asks for the current password, then the new one twice', 'printf \'%s\\n%s\\n\' "$OLD" "$NEW" | rollcall passwd bob@acme.example --password-stdin'))
    .argument('[email]', 'whose password (default: the signed-in member)')
    .option('--password-stdin', 'read the current password, then the new one, one per line from standard input')
    .action(action(io, async (cli, emailArg: string | undefined, o: { passwordStdin?: boolean }) => {
      const email = emailArg ?? loadSession(io, cli.sessionKey)?.email;
      if (!email) fail('USAGE', 'whose password? name the email: rollcall passwd EMAIL');
      const current = await cli.secret('current password', !!o.passwordStdin, 0);
      const next = await cli.secret('new password', !!o.passwordStdin, 1, { confirm: true });
      const member = await changePassword(await cli.open(), email, current, next);
      if (cli.opts.json) return cli.render.printJson({ email: member.email, changed: true });
      cli.render.out(`Password changed for ${member.email}`);
    }));

  const token = program.command('token').description('API tokens for scripts and CI (ROLLCALL_TOKEN)');
  token.command('create')
    .description('create an API token that acts as you; printed once')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires-in <duration>', 'lifetime like 90d or 12h, or "never"', '90d')
    .addHelpText('after', examples('export ROLLCALL_TOKEN=$(rollcall token create --name ci --json | jq -r .token)'))
    .action(action(io, async (cli, o: { name: string; expiresIn: string }) => {
      const { ws, actor } = await cli.signedIn();
      const created = await ws.write(actor, (s) => createToken(s, o.name, o.expiresIn));
      if (cli.opts.json) return cli.render.printJson(created);
      cli.render.out(`Token ${created.name} (${created.id}) expires ${created.expiresAt ?? 'never'}`);
      cli.render.secret('token', created.token, 'use it as ROLLCALL_TOKEN');
    }));
  token.command('list')
    .description('list API tokens (yours; an admin sees all)')
    .addHelpText('after', examples('rollcall token list'))
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      const tokens = await ws.read(actor, (s) => listTokens(s));
      if (cli.opts.json) return cli.render.printJson(tokens);
      await cli.render.table(['ID', 'NAME', 'MEMBER', 'CREATED', 'EXPIRES', 'REVOKED'], tokens.map((t) => [t.id, t.name, t.member, t.createdAt, t.expiresAt ?? 'never', t.revokedAt ?? '']));
    }));
  token.command('revoke')
    .description('revoke an API token')
    .addHelpText('after', examples('rollcall token revoke ci'))
    .argument('<id-or-name>', 'the token id or name')
    .action(action(io, async (cli, idOrName: string) => {
      const { ws, actor } = await cli.signedIn();
      const revoked = await ws.write(actor, (s) => revokeToken(s, idOrName));
      if (cli.opts.json) return cli.render.printJson(revoked);
      cli.render.out(`Revoked token ${revoked.name} (${revoked.id})`);
    }));
}
