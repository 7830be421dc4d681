import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { apiClient } from '../../test/api.js';

/**
 * Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF records). Written for the tests so the
 * export is checked against an independent reader rather than against its own encoder.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted || (ch !== ',' && !(ch === '\r' && text[i + 1] === '\n'))) {
      cell += ch;
    } else {
      row.push(cell);
      cell = '';
      if (ch === '\r') {
        rows.push(row);
        row = [];
        i += 1;
      }
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** `GET /audit/export` as raw text, with the status and headers. */
export async function exportCsv(app: () => FastifyInstance, key: string, actingAs: string | undefined, query = '') {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (actingAs) headers['tagloom-acting-user'] = actingAs;
  const res = await app().inject({ method: 'GET', url: `/api/v1/audit/export${query ? `?${query}` : ''}`, headers });
  return { status: res.statusCode, text: res.body, headers: res.headers };
}

/** Every audit event the reader sees for `query`, across all pages (newest first). */
export async function readAllAudit(app: () => FastifyInstance, key: string, actingAs: string | undefined, query = ''): Promise<any[]> {
  const api = apiClient(app, key, actingAs);
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const res = await api.get(`/audit?limit=500${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    out.push(...res.body.events);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}
