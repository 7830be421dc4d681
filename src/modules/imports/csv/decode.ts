import { firstInvalidUtf8 } from '../../../edge/input-checks.js';
import { AppError } from '../../../errors.js';

/** How an imported file was encoded. */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gbk';

/**
 * Decodes an uploaded CSV: a UTF-8 BOM means UTF-8; else valid UTF-8 is UTF-8; else it must be
 * valid GBK / GB 18030, which Excel in China saves by default. Anything else is refused rather than
 * imported as mojibake. UTF-8 is tried first because GBK-valid UTF-8 text is common (CJK in UTF-8
 * often also decodes as GBK), while UTF-8-valid GBK text is rare.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: decode('utf-8', bytes.subarray(3)) ?? notText(bytes.subarray(3)), encoding: 'utf-8-bom' };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new AppError('validation_failed', {
      message: 'The file is UTF-16 ("Unicode text"); save it as "CSV UTF-8" or CSV.',
      details: [{ path: 'encoding', message: 'UTF-16 is not supported' }],
    });
  }
  const utf8 = decode('utf-8', bytes);
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8' };
  const gbk = decode('gb18030', bytes);
  if (gbk !== undefined && !gbk.includes('\uFFFD')) return { text: gbk, encoding: 'gbk' };
  return notText(bytes);
}

function decode(label: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Refuses a file that is neither UTF-8 nor GBK, pointing at its first byte that is not UTF-8 (line and character column). */
function notText(bytes: Uint8Array): never {
  const offset = Math.max(firstInvalidUtf8(bytes), 0);
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lines = before.split(/\r\n|\r|\n/);
  const line = lines.length;
  const column = lines[lines.length - 1]!.length + 1;
  throw new AppError('validation_failed', {
    message: `The file is not UTF-8 or GBK text (line ${line}, column ${column}); save it as "CSV UTF-8" or CSV.`,
    details: [{ path: `line ${line}, column ${column}`, message: 'not UTF-8 or GBK', line, column }],
  });
}

/**
 * Where the text has NUL characters (U+0000), which no text column can hold: a file that has them
 * is binary or saved as UTF-16 without its BOM. Lines and columns count as `parseCsv` does.
 */
export function findNulCharacters(text: string): { line: number; column: number }[] {
  const found: { line: number; column: number }[] = [];
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\u0000') found.push({ line, column: i - lineStart + 1 });
    else if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return found;
}
