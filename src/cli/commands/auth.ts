// Signing in and out (SPEC §2): login, logout, whoami, passwd.
import type { Command } from 'commander';
import { changePassword, login, logout } from '../../core/auth/sign-in.js';
import { parseEmail } from '../../core/email.js';
import { fail } from '../../core/errors.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';
import { WHOAMI_FIELDS, withOutput } from '../lists.js';
import { checkConfigDir, dropSession, loadSession, saveSession } from '../sessions.js';

export function registerAuth(program: Command, io: IO) {
  program.command('login')
    .description('sign in to the workspace (a session lasts 12 hours)')
    .argument('[email]', 'your email (asked at a terminal)')
    .option('--password-stdin', 'read the password from standard input (else asked, hidden)')
    .addHelpText('after', examples('rollcall login alice@acme.example', 'echo "$PASSWORD" | rollcall login alice@acme.example --password-stdin'))
    .action(action(io, async (cli, emailArg: string | undefined, o: { passwordStdin?: boolean }) => {
      const email = await cli.prompt.ask(emailArg, 'EMAIL', 'your email', { check: parseEmail });
      const password = await cli.prompt.secret('password', !!o.passwordStdin);
      const ws = await cli.open();
      checkConfigDir(io); // a session that could not be kept is not started
      const signed = await login(ws, email, password);
      try {
        await saveSession(io, cli.sessionKey, { email: signed.member.email, token: signed.sessionToken, expiresAt: signed.expiresAt });
      } catch (e) {
        await logout(ws, signed.sessionToken).catch(() => undefined); // nobody holds its token: end it
        throw e;
      }
      // The token wins over any session (SPEC §2): say so, or the next command acts as someone else.
      if (io.env.ROLLCALL_TOKEN?.trim()) {
        cli.render.note('warning: ROLLCALL_TOKEN is set: commands act through that API token, not this session, until it is unset (rollcall whoami shows which)');
      }
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
          await dropSession(io, cli.sessionKey);
        }
      }
      if (cli.opts.json) return cli.render.printJson({ signedOut: !!stored });
      cli.render.out(stored ? `Signed out ${stored.email}` : 'Not signed in');
    }));

  withOutput(program.command('whoami')
    .description('show who is acting, and through what: the API token in ROLLCALL_TOKEN, else the stored session'), WHOAMI_FIELDS)
    .addHelpText('after', examples('rollcall whoami', 'rollcall whoami --json    # {"email", "role", "scope", "via": "token"|"session", "token": {"id", "name"}|null, "expiresAt"}'))
    .action(action(io, async (cli) => {
      const { ws, actor, proof } = await cli.signedIn();
      const { whoAmI } = await import('../../core/auth/whoami.js');
      const who = await ws.read(actor, (s) => whoAmI(s, proof));
      await cli.render.record(who, () => {
        cli.render.out(`${who.email} (${who.role}${who.scope.length ? ': ' + who.scope.join(', ') : ''})`);
        const until = who.expiresAt ? `until ${who.expiresAt}` : 'no expiry';
        cli.render.out(who.via === 'token' ? `via API token "${clean(who.token?.name ?? '?')}" (${who.token?.id ?? '?'}) from ROLLCALL_TOKEN, ${until}` : `via the session stored for this workspace, ${until}`);
      });
    }));

  program.command('passwd')
    .description('change a password by the current one (also a temporary one); needs no session')
    .addHelpText('after', examples('rollcall passwd   # asks for the current password, then the new one twice', 'printf \'%s\\n%s\\n\' "$OLD" "$NEW" | rollcall passwd bob@acme.example --password-stdin'))
    .argument('[email]', 'whose password (default: the signed-in member)')
    .option('--password-stdin', 'read the current password, then the new one, one per line from standard input')
    .action(action(io, async (cli, emailArg: string | undefined, o: { passwordStdin?: boolean }) => {
      const email = emailArg ?? loadSession(io, cli.sessionKey)?.email;
      if (!email) fail('USAGE', 'whose password? name the email: rollcall passwd EMAIL');
      const current = await cli.prompt.secret('current password', !!o.passwordStdin, 0);
      const next = await cli.prompt.secret('new password', !!o.passwordStdin, 1, { confirm: true });
      const member = await changePassword(await cli.open(), email, current, next);
      if (cli.opts.json) return cli.render.printJson({ email: member.email, changed: true });
      cli.render.out(`Password changed for ${member.email}`);
    }));
}
