/**
 * What a 活码's QR code should encode: the stored link as is when it is absolute (a WeCom URL, a
 * `tagloom://` link), else made absolute against this console's origin, so a phone that scans it
 * reaches this server.
 * @example qrTarget('/c/cw1', 'https://t.example') // → 'https://t.example/c/cw1'
 */
export function qrTarget(qrCode: string, origin: string): string {
  if (qrCode === '') return '';
  if (/^[a-z][a-z0-9+.-]*:/i.test(qrCode)) return qrCode;
  return new URL(qrCode, origin).toString();
}

/** A file name for a downloaded QR code: the way's remark (or id), without characters file systems refuse. */
export function qrFileName(label: string, fallback: string): string {
  const clean = label.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^_+|_+$/g, '');
  return `${clean || fallback}.png`;
}
