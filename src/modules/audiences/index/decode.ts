// The index loads millions of seqs and timestamps. Shipping them as one bytea per group
// (`string_agg(int4send(seq), '')`) instead of one row each keeps the driver from building
// millions of JS objects; these turn such a bytea back into typed arrays.

/**
 * Decodes what SQL's `string_agg(int4send(seq), '')` returns (big-endian 32-bit integers, as a
 * Buffer on node-postgres or a Uint8Array on PGlite) into seqs, without a per-row JS object.
 */
export function decodeInt4s(bytes: Uint8Array | null): Uint32Array {
  if (!bytes || bytes.byteLength === 0) return new Uint32Array(0);
  // A fresh copy: the driver's buffer may be a slice of a pool at an unaligned offset.
  const copy = new Uint8Array(bytes);
  Buffer.from(copy.buffer).swap32();
  return new Uint32Array(copy.buffer);
}

/** Decodes `string_agg(int4send(seq) || float8send(t), '')`: 12-byte (seq, time) records, big-endian. */
export function decodeRun(bytes: Uint8Array | null): { seqs: Uint32Array; times: Float64Array } {
  const n = bytes ? Math.floor(bytes.byteLength / 12) : 0;
  const seqs = new Uint32Array(n);
  const times = new Float64Array(n);
  if (!bytes || n === 0) return { seqs, times };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i += 1) {
    seqs[i] = view.getUint32(i * 12);
    times[i] = view.getFloat64(i * 12 + 4);
  }
  return { seqs, times };
}
