// Everything a command prints goes through here: JSON under --json, a table at a terminal,
// tab-separated text when piped. Names are escaped so that no control character reaches a terminal raw.
import type { IO } from './io.js';
import { ChunkedOutput, streamSink } from './chunks.js';
import { arrayEnd, arrayItems, escapeRaw, toJson, writeJsonPieces } from './json.js';
import type { JqFilter } from './jq.js';
import type { IssuedInvite } from '../core/invites.js';
import type { MemberView } from '../core/members/views.js';
import { shellQuote } from '../core/shell.js';
import { fitColumns } from './columns.js';
import { CREDENTIAL_FIELDS, MEMBER_FIELDS, cellText, csvRows, csvWriter, pick, type ListSpec, type OutputChoice } from './lists.js';

/**
 * Escapes C0/C1 control characters (ESC included) as \xNN, so names cannot drive the terminal, and
 * the bidi marks, embeddings, overrides and isolates and the line and paragraph separators as
 * \uXXXX, so a name cannot reorder or break what the terminal shows around it.
 */
export function clean(text: unknown): string {
  if (text === null || text === undefined) return '';
  return String(text)
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'))
    .replace(/[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

type Paint = (text: string) => string;

/** "4d 3h", "5h 20m", or "expired": how long until a removed member can no longer be restored. */
export function timeLeft(until: string | null, now: Date): string {
  if (!until) return '';
  const ms = Date.parse(until) - now.getTime();
  if (ms <= 0) return 'expired';
  const h = Math.floor(ms / 3_600_000);
  return h >= 24 ? `${Math.floor(h / 24)}d ${h % 24}h` : `${h}h ${Math.floor((ms % 3_600_000) / 60_000)}m`;
}
const plain: Paint = (t) => t;

export class Renderer {
  readonly tty: boolean;
  readonly colour: boolean;
  private paints: { bold: Paint; dim: Paint; green: Paint; red: Paint; yellow: Paint; cyan: Paint } = {
    bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain,
  };

  readonly json: boolean;
  /** The --jq filter, compiled by init(). */
  private jq: JqFilter | null = null;

  constructor(readonly io: IO, json: boolean, noColor: boolean, readonly now: Date = new Date(), readonly choice: OutputChoice = {}) {
    this.json = json || choice.jq !== undefined;
    this.tty = !!io.stdout.isTTY;
    this.colour = this.tty && !noColor && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
  }

  /**
   * Loads chalk only when colour will be used, and jq only for --jq (compiling the filter, so a bad
   * one is refused before any work): start-up time matters for scripts.
   */
  async init() {
    if (this.choice.jq !== undefined) {
      const { JqFilter } = await import('./jq.js');
      this.jq = await JqFilter.compile(this.choice.jq);
    }
    if (!this.colour) return;
    const { Chalk } = await import('chalk');
    const c = new Chalk({ level: 1 });
    this.paints = { bold: c.bold, dim: c.dim, green: c.green, red: c.red, yellow: c.yellow, cyan: c.cyan };
  }

  get paint() {
    return this.paints;
  }

  out(line = '') {
    this.io.stdout.write(line + '\n');
  }

  /** Notes for a person: stderr, so that stdout holds only results. */
  note(line: string) {
    this.io.stderr.write(line + '\n');
  }

  /** JSON on stdout: with --fields, each record (or the one record) keeps only those fields; then --jq. */
  printJson(value: unknown) {
    this.emitJson(this.picked(value));
  }

  /** Records (an array of them, or one) with only the --fields, in their order. */
  picked(value: unknown): unknown {
    const f = this.choice.fields;
    return f ? (Array.isArray(value) ? value.map((r) => pick(r, f)) : pick(value, f)) : value;
  }

  /**
   * A JSON value on stdout as it is (pretty), or through --jq: each output a line, a string as its
   * text (escaped at a terminal, as every name is; raw when piped, as `jq -r` writes it), any other
   * value as compact JSON. What jq notes on stderr (`debug`) goes to stderr, escaped.
   */
  emitJson(value: unknown) {
    if (!this.jq) return void this.io.stdout.write(toJson(value) + '\n');
    const { lines, notes } = this.jq.run(value);
    if (notes) this.note(notes.split('\n').map(clean).join('\n'));
    if (!lines.length) return;
    const text = lines.map((l) => {
      if (!l.startsWith('"')) return escapeRaw(l);
      const s = JSON.parse(l) as string;
      return this.tty ? clean(s) : s;
    });
    this.io.stdout.write(text.join('\n') + '\n');
  }

  /**
   * One record: JSON (its --fields, then --jq) under --json or --jq; `key: value` lines of the
   * --fields' raw values when they are given; else the command's own `human` output.
   */
  async record(r: object, human: () => unknown) {
    if (this.json) return this.printJson(r);
    const f = this.choice.fields;
    if (f) return this.fields(f.map((k) => [k, cellText((r as Record<string, unknown>)[k])]));
    await human();
  }

  /**
   * A large record (a roster plan) as printJson prints it, written 64 KiB at a time; --fields and
   * --jq need the whole value, and go through printJson.
   */
  async printJsonStreamed(value: Record<string, unknown> | readonly unknown[]) {
    if (this.choice.fields || this.choice.jq !== undefined) return this.printJson(value);
    const out = new ChunkedOutput(streamSink(this.io.stdout));
    if (Array.isArray(value)) {
      for (const piece of arrayItems(value, true)) await out.write(piece);
      await out.write(arrayEnd(value.length));
    } else await writeJsonPieces(value as Record<string, unknown>, out.write);
    await out.write('\n');
    await out.flush();
  }

  /**
   * A list of records: JSON under --json; CSV under --csv (a header row, then the raw values of
   * the spec's columns or --fields); with --fields a table or tab-separated text of those fields'
   * raw values; else the spec's table at a terminal and its piped rows (one value a column) otherwise.
   */
  async list<T>(spec: ListSpec<T>, records: readonly T[], paint: Record<number, Paint> = {}) {
    if (this.json) return this.printJson(records);
    const f = this.choice.fields;
    if (this.choice.csv) return this.io.stdout.write(await this.csv(records, f ?? spec.csv, true));
    if (f) return this.table(f, records.map((r) => f.map((c) => cellText((r as Record<string, unknown>)[c]))));
    await this.table(spec.headers, records.map((r) => (!this.tty && spec.piped ? spec.piped(r) : spec.row(r))), paint);
  }

  /** CSV text of records' columns (after a header row if asked); escaped like all output at a terminal. */
  private async csv(records: readonly unknown[], columns: readonly string[], header: boolean): Promise<string> {
    const rows = [...(header ? [[...columns]] : []), ...csvRows(records, columns)];
    return (await csvWriter())(this.tty ? rows.map((r) => r.map(clean)) : rows);
  }

  /** Rows as a table at a terminal (colour from `paint`, per column, on the escaped text), tab-separated otherwise. */
  async table(headers: string[], rows: unknown[][], paint: Record<number, Paint> = {}) {
    const cells = rows.map((r) => r.map(clean));
    if (!this.tty) {
      for (const r of cells) this.out(r.join('\t'));
      return;
    }
    const { default: Table } = await import('cli-table3');
    const t = new Table({
      // Styles are applied after cli-table3 wraps cells: a colour code inside a wrapped cell would be cut.
      head: headers,
      style: { head: this.colour ? ['bold'] : [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 },
      chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
      colWidths: fitColumns([headers, ...cells], this.io.stdout.columns || 80, 2),
      wordWrap: true,
      wrapOnWordBoundary: false,
    });
    // A painted cell is not wrapped (cli-table3 would cut its colour codes): fitColumns keeps short columns whole.
    for (const r of cells) t.push(r.map((c, i) => (paint[i] ? { content: paint[i](c), wordWrap: false } : c)));
    this.out(t.toString());
  }

  /** Key: value lines, for one record. */
  fields(pairs: Array<[string, unknown]>) {
    const width = Math.max(...pairs.map(([k]) => k.length));
    for (const [k, v] of pairs) {
      const text = Array.isArray(v) ? v.map(clean).join(', ') : clean(v === null || v === undefined ? '-' : v);
      this.out(`${this.paint.dim((k + ':').padEnd(width + 1))} ${text}`);
    }
  }

  status(status: string): string {
    const p = this.paint;
    return ({ active: p.green, suspended: p.red, deleted: p.red, invited: p.yellow, pending: p.cyan } as Record<string, Paint>)[status]?.(status) ?? status;
  }

  async members(list: readonly MemberView[], opts: { deleted?: boolean } = {}) {
    await this.list(this.memberSpec(!!opts.deleted), list, opts.deleted ? {} : { 3: (s) => this.status(s) });
    if (this.tty && !this.json && !this.choice.csv && !opts.deleted) this.note(this.paint.dim(`${list.length} member${list.length === 1 ? '' : 's'}`));
  }

  private memberSpec(deleted: boolean): ListSpec<MemberView> {
    if (deleted) {
      return {
        fields: MEMBER_FIELDS,
        headers: ['EMAIL', 'NAME', 'REMOVED', 'BY', 'BATCH', 'TIME LEFT', 'RESTORABLE UNTIL'],
        row: (m) => [m.email, m.name, m.deletedAt, m.removedBy, m.removedBatch, timeLeft(m.restorableUntil, this.now), m.restorableUntil],
        csv: ['email', 'name', 'deletedAt', 'removedBy', 'removedBatch', 'restorableUntil'],
      };
    }
    return {
      fields: MEMBER_FIELDS,
      headers: ['EMAIL', 'NAME', 'ROLE', 'STATUS', 'ORG', 'TITLE'],
      row: (m) => [m.email, m.name, m.role + (m.scope.length ? ` (${m.scope.join(', ')})` : ''), m.status, m.org ?? '', m.title ?? ''],
      piped: (m) => [m.email, m.name, m.role, m.scope.join(';'), m.status, m.org ?? '', m.title ?? ''],
      csv: ['email', 'name', 'role', 'scope', 'status', 'org', 'title'],
    };
  }

  /** New temporary passwords (reset-password, unsuspend): rows of email and password; the note on stderr. */
  async credentials(list: ReadonlyArray<MemberView & { temporaryPassword?: string | null }>) {
    await this.list({
      fields: CREDENTIAL_FIELDS, headers: ['EMAIL', 'TEMPORARY PASSWORD'], csv: ['email', 'temporaryPassword'],
      row: (m) => [m.email, m.temporaryPassword ?? ''],
    }, list);
    if (this.json || !list.some((m) => m.temporaryPassword)) return;
    this.note(this.paint.yellow('These temporary passwords are shown once and never stored in clear. Each must be changed at first sign-in: rollcall passwd EMAIL.'));
  }

  /** members() for a list `produce` hands over a batch at a time (member list): see listStream. */
  async memberStream(produce: (out: (views: MemberView[]) => Promise<void>) => Promise<unknown>, opts: { deleted?: boolean } = {}) {
    await this.listStream(this.memberSpec(!!opts.deleted), produce, (all) => this.members(all, opts));
  }

  /**
   * list() for records `produce` hands over a batch at a time (member list, audit list): JSON, CSV
   * and tab-separated text are written as the batches come, in 64 KiB chunks, the same text list()
   * writes. A terminal's table sizes its columns on every row, and --jq filters the whole value, so
   * those wait for every record and are written by `whole`.
   */
  async listStream<T>(spec: ListSpec<T>, produce: (out: (records: T[]) => Promise<void>) => Promise<unknown>, whole: (all: T[]) => Promise<unknown> = (all) => this.list(spec, all)) {
    if ((this.tty && !this.json) || this.choice.jq !== undefined) {
      const all: T[] = [];
      await produce(async (records) => {
        for (const r of records) all.push(r);
      });
      return whole(all);
    }
    const f = this.choice.fields;
    const out = new ChunkedOutput(streamSink(this.io.stdout));
    let count = 0;
    const text = async (records: T[]): Promise<string | Iterable<string>> => {
      if (this.json) return arrayItems(f ? records.map((r) => pick(r, f)) : records, count === 0);
      if (this.choice.csv) return this.csv(records, f ?? spec.csv, count === 0);
      const rows = f ? records.map((r) => f.map((c) => cellText((r as Record<string, unknown>)[c]))) : records.map((r) => (spec.piped ?? spec.row)(r));
      return rows.map((r) => r.map(clean).join('\t') + '\n').join('');
    };
    await produce(async (records) => {
      const pieces = await text(records);
      for (const piece of typeof pieces === 'string' ? [pieces] : pieces) await out.write(piece);
      count += records.length;
    });
    if (this.json) await out.write(arrayEnd(count) + '\n');
    if (this.choice.csv && !count) await out.write(await this.csv([], f ?? spec.csv, true));
    await out.flush();
  }

  member(m: MemberView & { temporaryPassword?: string | null }) {
    return this.record(m, () => this.memberHuman(m));
  }

  /** A member for a person: its fields, and a new temporary password once, said so. */
  memberHuman(m: MemberView & { temporaryPassword?: string | null }) {
    this.memberFields(m);
    if (m.temporaryPassword) this.secret('temporary password', m.temporaryPassword, `must be changed at first sign-in: rollcall passwd ${shellQuote(m.email)}`);
  }

  memberFields(m: MemberView) {
    const pairs: Array<[string, unknown]> = [
      ['email', m.email], ['name', m.name], ['id', m.id], ['status', m.status + (m.suspendedReason ? ` (${m.suspendedReason})` : '')],
      ['role', m.role], ['kind', m.kind],
    ];
    if (m.scope.length) pairs.push(['scope', m.scope]);
    pairs.push(['org', m.org], ['orgs', m.orgs.length ? m.orgs : null], ['title', m.title]);
    if (m.startDate) pairs.push(['start date', m.startDate]);
    pairs.push(['2fa', m.twoFactor ? 'on' : 'off'], ['created', m.createdAt], ['updated', m.updatedAt]);
    if (m.deletedAt) pairs.push(['removed', m.deletedAt], ['removed by', m.removedBy], ['batch', m.removedBatch], ['restorable until', m.restorableUntil]);
    if (m.groups) pairs.push(['groups', m.groups.length ? m.groups.map((g) => `${g.name} (${g.owner ? 'owner' : g.role})`) : null]);
    this.fields(pairs);
  }

  /** A secret is printed once, at creation, and said so. */
  secret(label: string, value: string, hint?: string) {
    this.out(`${label}: ${value}`);
    const then = hint ? ` ${hint[0].toUpperCase()}${hint.slice(1)}.` : '';
    this.note(this.paint.yellow(`This ${label} is shown once and never stored in clear.${then}`));
  }

  /** An invitation is a secret: printed once, as a link when ROLLCALL_INVITE_BASE_URL is set. */
  invite(invite: IssuedInvite) {
    if (invite.inviteUrl) this.secret('invitation link', invite.inviteUrl, `valid until ${invite.expiresAt}, once`);
    else this.secret('invitation token', invite.inviteToken, `valid until ${invite.expiresAt}, once; the invitee runs: rollcall invite accept TOKEN`);
  }
}
