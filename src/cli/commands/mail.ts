// rollcall mail test ADDRESS (SPEC §14): one message through the mail settings in force, and the
// mail server's answer.
import type { Command } from 'commander';
import { sendTestMail } from '../../core/mail/test-send.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';

export function registerMail(program: Command, io: IO) {
  const mail = program.command('mail').description('the mail rollcall sends: two-step sign-in codes, invitations (invite issue --send)');
  mail.command('test')
    .description("send a test message through the mail settings in force, and show the server's answer")
    .argument('<address>', 'where to send it')
    .addHelpText('after', examples('rollcall mail test alice@acme.example',
      'ROLLCALL_SMTP_URL=smtps://rollcall@mail.acme.example ROLLCALL_SMTP_PASSWORD_FILE=/run/secrets/smtp rollcall mail test alice@acme.example --json'))
    .action(action(io, async (cli, address: string) => {
      const { ws, actor } = await cli.signedIn();
      const sent = await ws.read(actor, (s) => sendTestMail(s, address));
      if (cli.opts.json) return cli.render.printJson(sent);
      cli.render.out(`Sent a test message to ${sent.to} from ${clean(sent.from)} through ${clean(sent.server)} (${sent.source === 'workspace' ? "the workspace's smtp-url" : sent.source})`);
      cli.render.out(`The server said: ${clean(sent.response)}`);
    }));
}
