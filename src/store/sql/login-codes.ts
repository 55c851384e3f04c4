// The SQL of two-step sign-in's pending codes (SPEC §14), for both backends. A base of SqlTx
// (tx.ts), kept apart so that the shared SQL stays readable: one row per member, a new code
// replacing the one before.
import type { LoginCode } from '../../core/model.js';
import type { Row, SqlDriver } from './driver.js';

const COLUMNS = ['member_id', 'hash', 'created_at', 'expires_at'];

const loginCodeFromRow = (r: Row): LoginCode => ({ memberId: r.member_id, hash: r.hash, createdAt: r.created_at, expiresAt: r.expires_at });

export class LoginCodeSql {
  constructor(protected readonly db: SqlDriver) {}

  async saveLoginCode(c: LoginCode) {
    await this.db.upsertRows('login_codes', COLUMNS, ['member_id'], [[c.memberId, c.hash, c.createdAt, c.expiresAt]]);
  }
  async getLoginCode(memberId: string) {
    const [row] = await this.db.all('SELECT * FROM login_codes WHERE member_id = ?', [memberId]);
    return row ? loginCodeFromRow(row) : null;
  }
  async deleteLoginCode(memberId: string) {
    await this.db.run('DELETE FROM login_codes WHERE member_id = ?', [memberId]);
  }
}
