// An SMTP server in a process of its own, for tests that block their own event loop (a terminal
// driven by test/helpers/pty-driver.py): takes every message on 127.0.0.1 without a login, appends
// it to the file named by argv[2], and prints its port on stdout once it listens.
import { appendFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';

const file = process.argv[2];
const server = new SMTPServer({
  logger: false, authOptional: true, disabledCommands: ['STARTTLS'],
  onData(stream, _session, done) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      appendFileSync(file, Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '') + '\n');
      done();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.server.address().port}\n`));
