// The core names the input at fault in domain words (RollcallError.field); the CLI says which flag
// that is, so a person knows what to change on the command line.
import { RollcallError, type InputField } from '../core/errors.js';

/** The flags that carry each field; where several do, the one on the command line is named. */
const FLAGS: Record<InputField, readonly string[]> = {
  reason: ['--reason'],
  expiresIn: ['--expires-in'],
  defaultRole: ['--role'],
  maxRemovals: ['--max-removals'],
  scope: ['--scope'],
  kind: ['--kind'],
  name: ['--name'],
  posts: ['--org', '--add-org', '--remove-org'],
  since: ['--since', '--removed-since'],
  head: ['--head', '--heads'],
  allowEmpty: ['--allow-empty'],
  format: ['--format'],
  createOrgs: ['--create-orgs'],
  encoding: ['--encoding'],
  skipExpired: ['--skip-expired'],
  action: ['--action'],
};

/** The error with its field named as the flag that sets it, in the hint. */
export function inTermsOfFlags(err: RollcallError, argv: readonly string[]): RollcallError {
  if (!err.field) return err;
  const flags = FLAGS[err.field];
  const given = flags.filter((f) => argv.some((a) => a === f || a.startsWith(`${f}=`)));
  const flag = given.length === 1 ? given[0] : flags.length > 1 ? `${flags.slice(0, -1).join(', ')} or ${flags[flags.length - 1]}` : flags[0];
  return new RollcallError(err.code, err.message, err.hint ? `${err.hint} (${flag})` : `set it with ${flag}`, err.field, err.details);
}
