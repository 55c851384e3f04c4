// What `member restore` prints: the members, then on stderr who was left behind and why.
import { nameSome } from '../core/errors.js';
import type { RestoreResult } from '../core/members/restore.js';
import type { Cli } from './context.js';
import { clean } from './render.js';

export interface RestoreFlags {
  batch?: string;
  removedSince?: string;
  by?: string;
  skipExpired?: boolean;
  dryRun?: boolean;
}

/**
 * What a restore did: the members (JSON: an array, or with --skip-expired always an object
 * `{restored, skipped}`, so the shape follows the command line, not the data), then on stderr
 * whoever was left behind, already restored, or that nobody was restored, and why.
 */
export async function renderRestore(cli: Cli, r: RestoreResult, o: RestoreFlags) {
  const json = !!cli.opts.json;
  if (o.dryRun && !json) cli.render.note(`Would restore ${r.restored.length} member${r.restored.length === 1 ? '' : 's'} (dry run: nothing changed)`);
  // --fields picks the members' fields, in the array or in {restored} alike.
  // Written in pieces: a restore of a whole batch may list 100,000 members.
  if (json && cli.render.choice.fields) cli.render.emitJson(o.skipExpired ? { restored: cli.render.picked(r.restored), skipped: r.skipped } : cli.render.picked(r.restored));
  else if (json) await cli.render.printJsonStreamed(o.skipExpired ? { restored: r.restored, skipped: r.skipped } : r.restored);
  else if (r.restored.length) {
    // A batch's restore may list 100,000 members: piped, their lines are made and written 1,000 at a time.
    await cli.render.memberStream(async (out) => {
      for (let at = 0; at < r.restored.length; at += 1000) await out(r.restored.slice(at, at + 1000));
    });
  }
  for (const m of json ? [] : r.restored) {
    if (m.lostGroups.length) cli.render.note(`note: ${m.email} was in ${m.lostGroups.map(clean).join(', ')} when removed, and is no longer (the group deleted, or the member taken out of it since): not restored there`);
  }
  const would = o.dryRun ? 'would be ' : '';
  if (r.skipped.length && !json) {
    cli.render.note(`Skipped ${r.skipped.length} member${r.skipped.length === 1 ? '' : 's'}, ${would}not restored:`);
    for (const x of r.skipped) cli.render.note(`  ${x.email}: ${x.reason === 'purged' ? `purged for good by ${x.purgedBy} at ${x.purgedAt}` : 'removed more than 7 days ago'}`);
  }
  const nobody = !r.restored.length;
  if (r.alreadyRestored.length) {
    const when = new Map<string, string[]>(); // one restore (by whom, when) usually brought them all back
    for (const x of r.alreadyRestored) {
      const by = x.by ? ` (by ${x.by} at ${x.at})` : '';
      const emails = when.get(by);
      if (emails) emails.push(x.email); // not a copy per member: a batch restored again names 100,000
      else when.set(by, [x.email]);
    }
    const who = [...when].map(([by, emails]) => `${nameSome(emails)}${by}`).join('; ');
    cli.render.note(nobody ? `Nobody to restore: batch ${clean(o.batch ?? '')} was already restored: ${who}` : `Already restored: ${who}`);
  } else if (nobody && r.skipped.length) {
    cli.render.note(`Nobody ${would || 'was '}restored: every member left to restore is past restoring`);
  } else if (nobody) {
    cli.render.note(o.removedSince ? `Nobody to restore: no member removed since ${clean(o.removedSince)}${o.by ? ` by ${clean(o.by)}` : ''} is still removed` : 'Nobody to restore');
  }
}

