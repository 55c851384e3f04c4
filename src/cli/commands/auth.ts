// Signing in and out (SPEC §2, §14): login (with two-step sign-in's code), logout, whoami, passwd.
import type { Command } from 'commander';
import { changePassword, login, logout, type SignedIn } from '../../core/auth/sign-in.js';
import { completeTwoStep, isWrongCode, parseCode } from '../../core/auth/two-step.js';
import { parseEmail } from '../../core/email.js';
import { RollcallError, fail } from '../../core/errors.js';
import type { Workspace } from '../../core/workspace.js';
import { action, examples } from '../action.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';
import { WHOAMI_FIELDS, withOutput } from '../lists.js';
import { checkConfigDir, dropSession, loadSession, saveSession } from '../sessions.js';

export function registerAuth(program: Command, io: IO) {
  program.command('login')
    .description('sign in to the workspace (a session lasts 12 hours)')
    .argument('[email]', 'your email (asked at a terminal)')
    .option('--password-stdin', 'read the password from standard input (else asked, hidden)')
    .option('--code <code>', 'two-step sign-in: the code mailed after the password (or the link that carried it), within 10 minutes')
    .addHelpText('after', examples('rollcall login alice@acme.example', 'echo "$PASSWORD" | rollcall login alice@acme.example --password-stdin',
      'rollcall login bob@acme.example --code 123456   # two-step sign-in, without a terminal: after exit 4 SECOND_FACTOR_REQUIRED'))
    .action(action(io, async (cli, emailArg: string | undefined, o: { passwordStdin?: boolean; code?: string }) => {
      const email = await cli.prompt.ask(emailArg, 'EMAIL', 'your email', { check: parseEmail });
      if (o.code !== undefined && o.passwordStdin) fail('USAGE', '--code finishes a sign-in whose password was given already: it takes no --password-stdin');
      const code = o.code === undefined ? undefined : parseCode(o.code);
      const password = code === undefined ? await cli.prompt.secret('password', !!o.passwordStdin) : '';
      const ws = await cli.open();
      checkConfigDir(io); // a session that could not be kept is not started
      const signed = code !== undefined ? await completeTwoStep(ws, email, code)
        : await login(ws, email, password, { loginBaseUrl: io.env.ROLLCALL_LOGIN_BASE_URL }).catch((e: unknown) => secondStepAtTerminal(cli, ws, email, e));
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

/**
 * SECOND_FACTOR_REQUIRED at a terminal: the code is asked for here (a wrong one again, until the
 * lockout's third failure); anywhere else the error stands, and `login EMAIL --code CODE` follows.
 */
async function secondStepAtTerminal(cli: Cli, ws: Workspace, email: string, e: unknown): Promise<SignedIn> {
  if (!(e instanceof RollcallError) || e.code !== 'SECOND_FACTOR_REQUIRED' || !cli.interactive) throw e;
  cli.render.note(`${e.message}; it works once, for 10 minutes.`);
  for (let tries = 1; ; tries++) {
    const code = await cli.prompt.ask(undefined, '--code', `the code from the mail to ${String(e.details?.sentTo ?? email)}`, { check: parseCode });
    try {
      return await completeTwoStep(ws, email, code);
    } catch (wrong) {
      if (!isWrongCode(wrong) || tries >= 3) throw wrong;
      cli.render.note(`error: ${(wrong as Error).message}: try again`);
    }
  }
}
