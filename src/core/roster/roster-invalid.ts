// ROSTER_INVALID: every problem of a roster in one error, in file order, also as data.
import { RollcallError, type InputField } from '../errors.js';
import { inFileOrder, problemText, type RosterFile, type RosterProblem } from './roster-file.js';

/**
 * ROSTER_INVALID listing every problem in file order, the list also as data (for --json), with the
 * hint that fits: a file that is not a roster of its format is not fixed row by row.
 */
export function rosterInvalid(found: RosterProblem[], file: RosterFile, missingOrgs: boolean): never {
  const problems = inFileOrder(found);
  const shown = problems.slice(0, 200).map(problemText).join('\n');
  const more = problems.length > 200 ? `\n… and ${problems.length - 200} more` : '';
  const kinds = new Set(problems.map((p) => p.kind ?? 'row'));
  const [hint, field] = kinds.size === 1 && kinds.has('file')
    ? [`check that ${file.file} is a roster in the ${file.format} format, in a text encoding rollcall reads`, 'format' as const]
    : kinds.size === 1 && kinds.has('header') ? ['fix the header line named above and run again', undefined]
    : missingOrgs ? ['fix the lines named above; create missing orgs with rollcall org add, or let the apply create them', 'createOrgs' as const]
    : [`fix the ${kinds.has('row') && kinds.size === 1 ? 'rows' : 'lines'} named above and run again`, undefined];
  throw new RollcallError('ROSTER_INVALID', `${problems.length} problem${problems.length > 1 ? 's' : ''} in the roster, nothing was changed:\n${shown}${more}`,
    hint, field, { problems: problems.map(({ line, message }) => ({ line, message })) });
}


/**
 * ROSTER_INVALID for a file that cannot be read as text at all (its encoding): `message` stands at
 * `where` (FILE or FILE:LINE…), and at each of `lines` in the problems data.
 */
export function rosterUnreadable(where: string, lines: readonly number[], message: string, hint: string, field?: InputField): never {
  const problems = lines.length ? lines.map((line) => ({ line, message })) : [{ line: null, message }];
  throw new RollcallError('ROSTER_INVALID', `${where}: ${message}`, hint, field, { problems });
}
