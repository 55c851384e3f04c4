// The refusal a core function throws, for unit tests that check its code, message and hint.
import { RollcallError } from '../../src/core/errors.js';

/** The RollcallError `run` throws; anything else thrown, or nothing thrown, fails the test. */
export function refusal(run: () => unknown): RollcallError {
  try {
    run();
  } catch (e) {
    if (e instanceof RollcallError) return e;
    throw new Error(`expected a RollcallError, got ${String(e)}`, { cause: e });
  }
  throw new Error('not refused');
}
