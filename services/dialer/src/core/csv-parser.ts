/**
 * Incremental RFC 4180 CSV parser: feed text chunks, get complete records back. Holds at
 * most one partial record, so a 100,000-row file streams through in constant memory.
 *
 * @example
 * const p = new CsvParser(); p.push('a,"b,c"\n1,'); p.push('2\n'); // [['a','b,c']] then [['1','2']]
 */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  private quotePending = false; // saw a quote inside a quoted field: escape or close?
  private skipLf = false;

  constructor(private readonly maxFieldLength = 10_000) {}

  /** Parses a chunk; returns the records it completed. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (this.skipLf) {
        this.skipLf = false;
        if (ch === '\n') continue;
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (ch === '"') {
            this.append('"');
            continue;
          }
          this.inQuotes = false; // closing quote; fall through to handle ch normally
        } else if (ch === '"') {
          this.quotePending = true;
          continue;
        } else {
          this.append(ch);
          continue;
        }
      }
      if (ch === '"' && this.field === '') this.inQuotes = true;
      else if (ch === ',') this.endField();
      else if (ch === '\n' || ch === '\r') {
        this.skipLf = ch === '\r';
        this.endRecord(out);
      } else this.append(ch);
    }
    return out;
  }

  /** Flushes the last record (a file without a trailing newline). */
  end(): string[][] {
    const out: string[][] = [];
    if (this.quotePending) this.inQuotes = false;
    if (this.field !== '' || this.record.length > 0) this.endRecord(out);
    return out;
  }

  private append(ch: string): void {
    if (this.field.length >= this.maxFieldLength) throw new Error(`CSV field longer than ${this.maxFieldLength} characters`);
    this.field += ch;
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
  }

  private endRecord(out: string[][]): void {
    this.endField();
    const r = this.record;
    this.record = [];
    this.inQuotes = false;
    this.quotePending = false;
    if (!(r.length === 1 && r[0] === '')) out.push(r); // blank lines are skipped
  }
}

/** Quotes one CSV field when needed. */
export function csvField(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
