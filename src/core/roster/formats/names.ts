/** Han, Hiragana, Katakana (and half-width Katakana): names in these read family name first. */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/;

/** `First Last`, or `Last First` (姓 名) when either part holds Japanese or Chinese characters. */
export function personName(first: string | null | undefined, last: string | null | undefined): string | null {
  const f = (first ?? '').trim();
  const l = (last ?? '').trim();
  if (!f && !l) return null;
  if (!f || !l) return f || l;
  return CJK.test(f) || CJK.test(l) ? `${l} ${f}` : `${f} ${l}`;
}
