/** One CSV record with the physical line it starts on (1-based), for error messages. */
export type CsvRecord = { line: number; cells: string[] };

/** Malformed CSV: where (1-based line and character column) and what. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Parses CSV text per RFC 4180: fields separated by commas, records by CRLF, LF or CR; a quoted
 * field may hold commas, line breaks and doubled quotes. Stricter than spreadsheets on purpose: a
 * quote inside an unquoted field, text after a closing quote or an unclosed quote is an error with
 * its line and column, since guessing would import shifted columns. Blank lines are skipped.
 * @example parseCsv('a,"b ""c"""\r\n1,2') // → [{ line: 1, cells: ['a', 'b "c"'] }, { line: 2, cells: ['1', '2'] }]
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = '';
  let line = 1;
  let column = 0; // of the character just read
  let recordLine = 1;
  let quoteLine = 0;
  let quoteColumn = 0;
  // start: at a field's start; plain: inside an unquoted field; quoted: inside quotes; closed: just after the closing quote
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';

  const endRecord = () => {
    cells.push(field);
    if (!(cells.length === 1 && cells[0] === '' && state !== 'closed')) records.push({ line: recordLine, cells });
    cells = [];
    field = '';
    state = 'start';
  };

  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    column += 1;
    const newline = ch === '\n' || ch === '\r';
    if (state === 'quoted') {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
          column += 1;
        } else state = 'closed';
      } else {
        field += ch;
        if (newline) {
          if (ch === '\r' && text[i + 1] === '\n') field += text[++i]!;
          line += 1;
          column = 0;
        }
      }
      continue;
    }
    if (newline) {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      column = 0;
      recordLine = line;
      continue;
    }
    if (ch === ',') {
      cells.push(field);
      field = '';
      state = 'start';
      continue;
    }
    if (state === 'closed')
      throw new CsvSyntaxError(line, column, `unexpected ${JSON.stringify(ch)} after a closing quote (a quote inside a quoted field is written "")`);
    if (ch === '"') {
      if (state === 'plain') throw new CsvSyntaxError(line, column, 'a quote inside an unquoted field (quote the whole field and double the quote)');
      state = 'quoted';
      quoteLine = line;
      quoteColumn = column;
      continue;
    }
    field += ch;
    state = 'plain';
  }
  if (state === 'quoted') throw new CsvSyntaxError(quoteLine, quoteColumn, 'the quoted field opened here is never closed');
  if (field !== '' || cells.length > 0 || state === 'closed') endRecord();
  return records;
}
