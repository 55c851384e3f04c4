// Audit anchors (SPEC §14): a head `SEQ:HASH` recorded outside the workspace, and the proof that
// today's chain still holds it. verifyChain alone proves that the chain agrees with itself, which a
// rewrite that recomputes every hash, a truncation that also moves chain_head, or a rollback to an
// older copy all preserve. A recorded head pins entries 1..SEQ: with an intact chain, entry SEQ
// having hash HASH means every entry up to it is byte for byte the one that was there (each hash
// covers the previous one), so any of those changes below a recorded head is found.
import { fail, RollcallError } from '../errors.js';
import type { Tx } from '../store.js';
import { verifyChain, type VerifyResult } from './chain.js';

/** A position in the chain: the entry number and its hash; `{0, ''}` is the empty log. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** One recorded head checked against today's chain; `problem` says why it no longer holds. */
export interface HeadCheck {
  seq: number;
  hash: string;
  ok: boolean;
  problem?: string;
}

/** verifyChain's result, with the recorded heads checked when some were given. */
export type AnchoredVerifyResult = VerifyResult & { heads?: HeadCheck[] };

/** The text form, `SEQ:HASH`, that parseHead reads back. */
export function formatHead(head: AuditHead): string {
  return `${head.seq}:${head.hash}`;
}

/** Reads `SEQ:HASH` (as formatHead writes it; hex in either case). INVALID_INPUT otherwise. */
export function parseHead(text: string): AuditHead {
  const given = text.trim();
  const m = /^(\d{1,15}):([0-9a-fA-F]*)$/.exec(given);
  const seq = m ? Number(m[1]) : NaN;
  const hash = m ? m[2].toLowerCase() : '';
  if (!m || (seq === 0 ? hash !== '' : !/^[0-9a-f]{64}$/.test(hash))) {
    const shown = given.length > 80 ? `${given.slice(0, 80)}…` : given;
    fail('INVALID_INPUT', `not an audit head: "${shown}"`,
      'a head is SEQ:HASH, an entry number and its 64-hex-digit hash, as rollcall audit head prints it', 'head');
  }
  return { seq, hash };
}

/**
 * Heads one a line, as a file of recorded heads holds them: blank lines are skipped, and `#` starts
 * a comment (a whole line, or after the head). A malformed line is INVALID_INPUT naming `source`
 * and the line.
 */
export function parseHeadList(text: string, source: string): AuditHead[] {
  const heads: AuditHead[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    try {
      heads.push(parseHead(line));
    } catch (e) {
      if (!(e instanceof RollcallError)) throw e;
      fail(e.code, `${source}, line ${i + 1}: ${e.message}`, e.hint, e.field);
    }
  });
  return heads;
}

/** The current head, after checking that chain_head names the last entry. INVALID_STATE if not. */
export async function readHead(tx: Tx): Promise<AuditHead> {
  const head = await tx.auditHead();
  const around = await tx.auditPage(Math.max(head.seq - 1, 0), 2);
  const last = head.seq === 0 ? around.length === 0 : around.length === 1 && around[0].seq === head.seq && around[0].hash === head.hash;
  if (!last) {
    fail('INVALID_STATE', `the chain head (entry ${head.seq}) does not match the last entry of the audit log: it was tampered with`,
      'rollcall audit verify names the first broken link');
  }
  return { seq: head.seq, hash: head.hash };
}

/**
 * Whether today's chain holds each head at its position: one lookup per distinct head, not a walk.
 * Only meaningful together with verifyChain: it compares the stored hash of entry SEQ, which an
 * intact chain ties to every entry before it.
 */
export async function checkHeads(tx: Tx, heads: readonly AuditHead[]): Promise<HeadCheck[]> {
  const seen = new Set<string>();
  const checks: HeadCheck[] = [];
  let lastSeq: number | undefined;
  for (const head of heads) {
    const key = formatHead(head);
    if (seen.has(key)) continue;
    seen.add(key);
    if (head.seq === 0) { // the empty log: every chain starts there
      checks.push(head.hash === '' ? { ...head, ok: true } : { ...head, ok: false, problem: 'entry 0 is the empty log, which has no hash' });
      continue;
    }
    const [entry] = await tx.auditPage(head.seq - 1, 1);
    if (!entry || entry.seq !== head.seq) {
      lastSeq ??= (await tx.listAudit({ limit: 1 }))[0]?.seq ?? 0;
      checks.push({
        ...head, ok: false,
        problem: lastSeq < head.seq
          ? `entry ${head.seq} is missing: the chain is shorter, it ends at entry ${lastSeq} (truncated, or rolled back to an older copy)`
          : `entry ${head.seq} is missing from the chain`,
      });
    } else if (entry.hash !== head.hash) {
      checks.push({ ...head, ok: false, problem: `entry ${head.seq} has a different hash: the log up to it was rewritten, or rolled back to an older copy` });
    } else {
      checks.push({ ...head, ok: true });
    }
  }
  return checks;
}

/** Why a recorded head fails, naming it: the result's `problem` when the chain itself is intact. */
export function headProblem(check: HeadCheck): string {
  return `recorded head ${formatHead(check)} no longer holds: ${check.problem}`;
}

/**
 * verifyChain, then each recorded head. Not ok if either fails; `seq` and `problem` are the chain's
 * first broken link, else the first head that no longer holds. Without heads, verifyChain's result.
 */
export async function verifyAnchored(tx: Tx, heads?: readonly AuditHead[]): Promise<AnchoredVerifyResult> {
  const chain = await verifyChain(tx);
  if (!heads) return chain;
  const checks = await checkHeads(tx, heads);
  const broken = checks.find((c) => !c.ok);
  if (!chain.ok) return { ...chain, heads: checks };
  if (broken) {
    return { ok: false, entries: chain.entries, seq: broken.seq, problem: headProblem(broken), heads: checks };
  }
  return { ...chain, heads: checks };
}
