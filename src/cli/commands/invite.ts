import type { Command } from 'commander';
import { acceptInvite, issueInvite, listInvites, revokeInvite, type IssuedInvite } from '../../core/invites.js';
import { action, collect } from '../action.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';

/** An invitation is a secret: printed once, as a link when ROLLCALL_INVITE_BASE_URL is set. */
export function printInvite(cli: Cli, invite: IssuedInvite) {
  if (invite.inviteUrl) cli.render.secret('invitation link', invite.inviteUrl, `valid until ${invite.expiresAt}, once`);
  else cli.render.secret('invitation token', invite.inviteToken, `valid until ${invite.expiresAt}, once; the invitee runs: rollcall invite accept TOKEN`);
}

export function registerInvite(program: Command, io: IO) {
  const invite = program.command('invite').description('invitation links: valid 24 hours, usable once');
  invite.command('issue')
    .description('invite a new member, or re-issue for one who has not registered (the old link dies)')
    .argument('<email>', 'who')
    .option('--name <name>', 'display name (needed for a new member)')
    .option('--role <role>', 'workspace role (default viewer)')
    .option('--scope <org>', 'org subtree for a scoped role (repeatable)', collect)
    .option('--org <path>', 'primary org')
    .addHelpText('after', '\nExample:\n  ROLLCALL_INVITE_BASE_URL=https://id.acme.example/join rollcall invite issue dan@acme.example --name Dan')
    .action(action(io, async (cli, email: string, o: { name?: string; role?: string; scope?: string[]; org?: string }) => {
      const { ws, actor } = await cli.signedIn();
      const issued = await ws.write(actor, (s) => issueInvite(s, { email, ...o }, io.env.ROLLCALL_INVITE_BASE_URL));
      if (cli.opts.json) return cli.render.printJson(issued);
      cli.render.out(`Invited ${issued.email}`);
      printInvite(cli, issued);
    }));
  invite.command('accept')
    .description('accept an invitation: choose a password; the member becomes active')
    .argument('<token>', 'the invitation token (or the last part of the link)')
    .option('--password-stdin', 'read the new password from standard input')
    .action(action(io, async (cli, token: string, o: { passwordStdin?: boolean }) => {
      const password = await cli.secret('new password', !!o.passwordStdin, 0, { confirm: true });
      const member = await acceptInvite(await cli.open(), token.split('/').pop()!, password);
      if (cli.opts.json) return cli.render.printJson({ email: member.email, status: 'active' });
      cli.render.out(`Welcome, ${member.email}: sign in with rollcall login ${member.email}`);
    }));
  invite.command('list')
    .description('open invitations and their expiry')
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      const list = await ws.read(actor, (s) => listInvites(s));
      if (cli.opts.json) return cli.render.printJson(list);
      await cli.render.table(['EMAIL', 'ISSUED', 'EXPIRES', ''], list.map((i) => [i.email, i.createdAt, i.expiresAt, i.expired ? 'expired' : '']));
    }));
  invite.command('revoke')
    .description("revoke a member's open invitation")
    .argument('<target>', 'email or id')
    .action(action(io, async (cli, target: string) => {
      const { ws, actor } = await cli.signedIn();
      const r = await ws.write(actor, (s) => revokeInvite(s, target));
      if (cli.opts.json) return cli.render.printJson(r);
      cli.render.out(`Revoked the invitation of ${r.email}`);
    }));
}
