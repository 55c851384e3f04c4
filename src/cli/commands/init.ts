// rollcall init: a new workspace and its first admin, signed in (SPEC §2).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { checkPasswordPolicy } from '../../core/credentials.js';
import { domainOf, localPart, parseDomain, parseEmail } from '../../core/email.js';
import { RollcallError, fail } from '../../core/errors.js';
import { initWorkspace, prepareInit } from '../../core/init.js';
import { checkName } from '../../core/text.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';
import { checkConfigDir, saveSession } from '../sessions.js';

interface InitFlags {
  name?: string;
  domain?: string;
  admin?: string;
  adminName?: string;
  seatLimit?: string;
  passwordStdin?: boolean;
}

export function registerInit(program: Command, io: IO) {
  program.command('init')
    .description('create a workspace and its first admin, and sign that admin in')
    .option('--name <name>', 'the workspace name (asked at a terminal)')
    .option('--domain <domain>', "the workspace's email domain (asked at a terminal)")
    .option('--admin <email>', 'the first admin, on that domain (asked at a terminal)')
    .option('--admin-name <name>', "the admin's display name (default: the address's local part)")
    .option('--seat-limit <n>', 'seats the workspace may hold (default 100)')
    .option('--password-stdin', "read the admin's password from standard input (else asked twice, hidden)")
    .addHelpText('after', examples('rollcall init                       # at a terminal: asks for each value', 'echo "$ADMIN_PASSWORD" | rollcall init --name Acme --domain acme.example --admin alice@acme.example --password-stdin'))
    .action(action(io, async (cli, o: InitFlags) => {
      // The workspace is checked first (SPEC §2 order): an existing file is ALREADY_EXISTS whatever else is wrong.
      if (!cli.onPostgres && existsSync(cli.workspaceName)) fail('ALREADY_EXISTS', `a workspace already exists at ${cli.workspaceName}`, 'pick another path with -w, or use the existing workspace');
      const name = await cli.prompt.ask(o.name, '--name', 'workspace name', { check: (v) => checkName(v, 'workspace name') });
      const domain = await cli.prompt.ask(o.domain, '--domain', 'email domain (like acme.example)', { check: parseDomain });
      const admin = await cli.prompt.ask(o.admin, '--admin', "first admin's email", {
        default: o.admin === undefined && cli.interactive ? `admin@${parseDomain(domain)}` : undefined,
        check: (v) => { if (domainOf(parseEmail(v)) !== parseDomain(domain)) fail('INVALID_INPUT', `the admin's address must be on ${parseDomain(domain)}`); },
      });
      const adminName = o.adminName ?? (o.admin === undefined && cli.interactive
        ? await cli.prompt.ask(undefined, '--admin-name', "admin's display name", { default: localPart(parseEmail(admin)), check: (v) => checkName(v) })
        : undefined);
      const password = await cli.prompt.secret('password', !!o.passwordStdin, 0, { confirm: true, check: checkPasswordPolicy });
      const prepared = await prepareInit({ name, domain, adminEmail: admin, adminName, seatLimit: o.seatLimit, password });
      checkConfigDir(io); // where the admin's session will be kept: before there is a workspace to undo
      const ws = await cli.open({ create: true });
      let signed;
      try {
        signed = await initWorkspace(ws, prepared);
        const session = { email: signed.member.email, token: signed.sessionToken, expiresAt: signed.expiresAt };
        await saveSession(io, cli.sessionKey, session).catch((e: unknown) => {
          throw e instanceof RollcallError ? new RollcallError(e.code, `${e.message}; the workspace was not created`, e.hint) : e;
        });
      } catch (e) {
        // A workspace whose admin cannot sign in is no use, and it would block the retry.
        await cli.discardCreated();
        throw e;
      }
      if (cli.opts.json) return cli.render.printJson({ workspace: cli.sessionKey, email: signed.member.email, role: 'admin', expiresAt: signed.expiresAt });
      cli.render.out(`Created workspace ${clean(prepared.name)} at ${clean(cli.sessionKey)}`);
      cli.render.out(`Signed in as ${signed.member.email} (admin) until ${signed.expiresAt}`);
    }));
}
