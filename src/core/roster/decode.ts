import iconv from 'iconv-lite';

/**
 * Bytes → text: UTF-8 (BOM dropped) when the bytes are valid UTF-8, else Shift_JIS/CP932, which is
 * what Excel in Japan writes; `encoding` forces one.
 */
export function decodeRoster(bytes: Uint8Array, encoding?: string): string {
  let text: string;
  if (encoding) {
    const enc = encoding.toLowerCase().replace(/[-_]/g, '');
    if (enc === 'utf8') text = new TextDecoder('utf-8').decode(bytes);
    else text = iconv.decode(Buffer.from(bytes), encodingName(encoding));
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = iconv.decode(Buffer.from(bytes), 'cp932');
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function encodingName(raw: string): string {
  const e = raw.toLowerCase().replace(/_/g, '-');
  if (['shift-jis', 'sjis', 'shiftjis', 'cp932', 'windows-31j', 'ms932'].includes(e)) return 'cp932';
  if (!iconv.encodingExists(e)) throw new Error(`unknown encoding "${raw}"`);
  return e;
}
