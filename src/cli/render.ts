// Everything a command prints goes through here: JSON under --json, a table at a terminal,
// tab-separated text when piped. Names are escaped so that no control character reaches a terminal raw.
import type { IO } from './io.js';
import { ChunkedOutput, streamSink } from './chunks.js';
import { arrayEnd, arrayItems, toJson } from './json.js';
import type { IssuedInvite } from '../core/invites.js';
import type { MemberView } from '../core/members/views.js';
import { shellQuote } from '../core/shell.js';

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

  constructor(readonly io: IO, readonly json: boolean, noColor: boolean, readonly now: Date = new Date()) {
    this.tty = !!io.stdout.isTTY;
    this.colour = this.tty && !noColor && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
  }

  /** Loads chalk only when colour will be used: start-up time matters for scripts. */
  async init() {
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

  printJson(value: unknown) {
    this.io.stdout.write(toJson(value) + '\n');
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
    if (this.json) return this.printJson(list);
    const { headers, rows } = this.memberRows(list, !!opts.deleted);
    await this.table(headers, rows, opts.deleted ? {} : { 3: (s) => this.status(s) });
    if (this.tty && !opts.deleted) this.note(this.paint.dim(`${list.length} member${list.length === 1 ? '' : 's'}`));
  }

  private memberRows(list: readonly MemberView[], deleted: boolean): { headers: string[]; rows: unknown[][] } {
    if (deleted) {
      return {
        headers: ['EMAIL', 'NAME', 'REMOVED', 'BY', 'BATCH', 'TIME LEFT', 'RESTORABLE UNTIL'],
        rows: list.map((m) => [m.email, m.name, m.deletedAt, m.removedBy, m.removedBatch, timeLeft(m.restorableUntil, this.now), m.restorableUntil]),
      };
    }
    return {
      headers: ['EMAIL', 'NAME', 'ROLE', 'STATUS', 'ORG', 'TITLE'],
      rows: list.map((m) => [m.email, m.name, m.role + (m.scope.length ? ` (${m.scope.join(', ')})` : ''), m.status, m.org ?? '', m.title ?? '']),
    };
  }

  /**
   * members() for a list `produce` hands over a batch at a time (member list): JSON and tab-separated
   * text are written as the batches come, in 64 KiB chunks, the same text members() writes; a
   * terminal's table sizes its columns on every row, so it waits for them all.
   */
  async memberStream(produce: (out: (views: MemberView[]) => Promise<void>) => Promise<unknown>, opts: { deleted?: boolean } = {}) {
    if (this.tty && !this.json) {
      const all: MemberView[] = [];
      await produce(async (views) => {
        for (const v of views) all.push(v);
      });
      return this.members(all, opts);
    }
    const out = new ChunkedOutput(streamSink(this.io.stdout));
    let count = 0;
    await produce(async (views) => {
      await out.write(this.json ? arrayItems(views, count === 0) : this.memberRows(views, !!opts.deleted).rows.map((r) => r.map(clean).join('\t') + '\n').join(''));
      count += views.length;
    });
    if (this.json) await out.write(arrayEnd(count) + '\n');
    await out.flush();
  }

  member(m: MemberView & { temporaryPassword?: string }) {
    if (this.json) return this.printJson(m);
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

/** Terminal columns a string takes: colour codes take none, East Asian wide characters two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) {
    const cp = ch.codePointAt(0)!;
    width += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff)
      || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x1f300 ? 2 : 1;
  }
  return width;
}

/**
 * Column widths for a table that fits the terminal: each column as wide as its widest cell, then
 * the widest column narrowed, one column at a time, until the row fits (its cells then wrap). No
 * column is narrowed below 12, so short values (a status, a role) never wrap and may be coloured.
 */
export function fitColumns(rows: readonly string[][], terminal: number, gap: number): number[] {
  const widths = rows[0].map((_, i) => Math.max(1, ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  const MIN = 12;
  // The first column names the row (an email, a path): narrowed only when nothing else can be.
  const narrowable = () => {
    const others = widths.map((w, i) => (i > 0 && w > MIN ? i : -1)).filter((i) => i >= 0);
    const pool = others.length ? others : widths[0] > MIN ? [0] : [];
    return pool.length ? pool.reduce((a, b) => (widths[b] > widths[a] ? b : a)) : -1;
  };
  while (total() > terminal) {
    const widest = narrowable();
    if (widest < 0) break;
    widths[widest]--;
  }
  return widths;
}
