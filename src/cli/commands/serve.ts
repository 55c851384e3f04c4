// rollcall serve scim: a SCIM 2.0 server (RFC 7644, issue 25) over the workspace, for identity
// providers to provision members and groups into. The server (src/server/scim) is loaded only here,
// by a dynamic import: no other command pays for it at start-up. It runs until SIGTERM or SIGINT,
// then finishes the requests in flight and exits 0; a second signal ends it at once.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';

interface ServeOptions {
  host: string;
  port: string;
  basePath: string;
  tlsCert?: string;
  tlsKey?: string;
  createOrgs?: boolean;
}

function port(raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > 65535) fail('USAGE', `--port is a port number 0–65535 (0: any free port): got "${raw}"`);
  return Number(raw);
}

function basePath(raw: string): string {
  if (!/^\/[A-Za-z0-9._~\/-]*$/.test(raw)) fail('USAGE', `--base-path is a URL path starting with /: got "${raw}"`, 'e.g. --base-path /scim/v2');
  return raw;
}

function pem(io: IO, file: string, what: string): Buffer {
  try {
    return readFileSync(resolve(io.cwd, file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail('NOT_FOUND', `no ${what} file ${file}`);
    fail('INVALID_INPUT', `cannot read the ${what} file ${file}: ${(e as Error).message}`);
  }
}

export function registerServe(program: Command, io: IO) {
  const serve = program.command('serve').description('run a server over the workspace');
  serve.command('scim')
    .description('a SCIM 2.0 server for identity providers (Entra ID, Okta…); authenticates with API tokens (Authorization: Bearer)')
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .option('--port <port>', 'the port to listen on (0: any free port)', '8080')
    .option('--base-path <path>', 'where the SCIM endpoints live', '/scim/v2')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (with --tls-key); else put a TLS proxy in front')
    .option('--tls-key <file>', 'the PEM private key for --tls-cert')
    .option('--create-orgs', 'a department naming an org that does not exist creates it (needs orgs.manage)')
    .addHelpText('after', examples(
      'rollcall serve scim --port 8080                  # tenant URL: https://HOST/scim/v2 behind a TLS proxy',
      'rollcall serve scim --host 0.0.0.0 --port 8443 --tls-cert cert.pem --tls-key key.pem',
    ))
    .action(action(io, async (cli, o: ServeOptions) => {
      const listenPort = port(o.port);
      const base = basePath(o.basePath);
      if (!!o.tlsCert !== !!o.tlsKey) fail('USAGE', '--tls-cert and --tls-key go together', 'give both, or neither and put a TLS proxy in front');
      const tls = o.tlsCert && o.tlsKey ? { cert: pem(io, o.tlsCert, 'certificate'), key: pem(io, o.tlsKey, 'key') } : undefined;
      const ws = await cli.open();
      const { startScimServer } = await import('../../server/scim/server.js');
      const server = await startScimServer({
        store: ws.store, clock: cli.clock, host: o.host, port: listenPort, basePath: base, tls, createOrgs: !!o.createOrgs,
        log: (line) => io.stderr.write(line + '\n'),
      });
      if (cli.opts.json) cli.render.printJson({ url: server.url });
      else cli.render.out(`Listening on ${server.url} (workspace ${cli.displayWorkspace}); stop with Ctrl-C or SIGTERM`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          done();
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      io.stderr.write(JSON.stringify({ at: new Date().toISOString(), stopping: 'finishing the requests in flight' }) + '\n');
      await server.close();
    }));
}
