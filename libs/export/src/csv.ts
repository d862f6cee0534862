/**
 * CSV as RFC 4180 says: CRLF line ends, a field holding a comma, a double quote, CR or LF is enclosed in double
 * quotes, a double quote inside one is doubled. An empty field is a missing value (Table Schema's default
 * `missingValues: [""]`); an empty string is written `""` so that a reader can still tell them apart.
 */
export const CSV_LINE_END = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: `null`/`undefined` → empty, strings quoted when needed. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (value === '') return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record with its line end. */
export function csvRecord(values: readonly (string | null | undefined)[]): string {
  return values.map(csvField).join(',') + CSV_LINE_END;
}

/** A parsed record: its fields (`null` for an empty unquoted field) and the line it starts on (1 = header). */
export interface CsvRow {
  readonly fields: (string | null)[];
  readonly line: number;
}

/** A record the parser could not read: where, and why. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';

  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

/**
 * An incremental RFC 4180 parser: feed it chunks of text, it returns the complete records so far (quoted fields
 * may span lines and chunks); `end()` returns the last one. Accepts LF as well as CRLF line ends.
 */
export class CsvParser {
  private field = '';
  private fields: (string | null)[] = [];
  private quoted = false;
  private inQuotes = false;
  /** A quote just closed a quoted field (or is the first half of a doubled quote). */
  private afterQuote = false;
  private line = 1;
  private recordLine = 1;
  private pendingCr = false;

  push(chunk: string): CsvRow[] {
    const out: CsvRow[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === '\n') continue;
      }
      if (this.inQuotes) {
        if (c === '"') {
          this.inQuotes = false;
          this.afterQuote = true;
        } else {
          if (c === '\n') this.line++;
          this.field += c;
        }
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        if (c === '"') {
          // A doubled quote inside a quoted field.
          this.field += '"';
          this.inQuotes = true;
          continue;
        }
        if (c !== ',' && c !== '\r' && c !== '\n') {
          throw new CsvSyntaxError(this.line, `unexpected '${c}' after a closing double quote`);
        }
      }
      if (c === ',') {
        this.endField();
      } else if (c === '\r' || c === '\n') {
        if (c === '\r') this.pendingCr = true;
        this.endField();
        out.push({ fields: this.fields, line: this.recordLine });
        this.fields = [];
        this.line++;
        this.recordLine = this.line;
      } else if (c === '"') {
        if (this.field !== '' || this.quoted) {
          throw new CsvSyntaxError(this.line, 'a double quote inside an unquoted field');
        }
        this.quoted = true;
        this.inQuotes = true;
      } else {
        this.field += c;
      }
    }
    return out;
  }

  /** The last record when the text does not end with a line end; throws on an unclosed quote. */
  end(): CsvRow[] {
    if (this.inQuotes) throw new CsvSyntaxError(this.recordLine, 'a quoted field is never closed');
    if (this.field === '' && !this.quoted && this.fields.length === 0) return [];
    this.endField();
    const last = { fields: this.fields, line: this.recordLine };
    this.fields = [];
    return [last];
  }

  private endField(): void {
    this.fields.push(this.field === '' && !this.quoted ? null : this.field);
    this.field = '';
    this.quoted = false;
    this.afterQuote = false;
  }
}

/** Parses a whole CSV text (tests, small files). */
export function parseCsv(text: string): CsvRow[] {
  const p = new CsvParser();
  return [...p.push(text), ...p.end()];
}
