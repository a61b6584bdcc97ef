// The customer CSV format (RFC 4180, UTF-8, a byte order mark accepted and written): a header row
// naming the columns, one customer per row. Lists (phones, e-mails, tags) are separated by ';'.
// Cells that a spreadsheet would run as a formula are written with a leading apostrophe (OWASP
// "CSV Injection") and read back without it.
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DomainError } from '../kernel/index.ts';
import { IDENTITY_KINDS, IdentityKind, isIdentityKind, type Customer, type FieldDefinition, type FieldValue } from './customer-model.ts';

/** One row as read: empty cells are absent (they change nothing on import). */
export interface CsvCustomerRow {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  /** Why the row cannot be read (e.g. the wrong number of cells). */
  problem?: string;
  id?: string;
  name?: string;
  company?: string;
  language?: string;
  timeZone?: string;
  tags?: string[];
  identities: { kind: IdentityKind; value: string; field: string }[];
  fields: Record<string, string>;
}

type Column =
  | { to: 'id' | 'name' | 'company' | 'language' | 'timeZone' | 'tags' | 'ignored'; header: string }
  | { to: 'identity'; kind: IdentityKind; header: string }
  | { to: 'field'; key: string; header: string };

const ATTRIBUTES: Record<string, 'id' | 'name' | 'company' | 'language' | 'timeZone' | 'tags' | 'ignored'> = {
  id: 'id', name: 'name', company: 'company', language: 'language', time_zone: 'timeZone', timezone: 'timeZone', tags: 'tags',
  created_at: 'ignored', createdat: 'ignored', updated_at: 'ignored', updatedat: 'ignored',
};

const bad = (message: string) => new DomainError('SB_CRM_CSV_INVALID', 400, message);

const columnKey = (header: string) => header.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** True when a custom field with this key would be read as a built-in column. */
export const isBuiltInColumn = (key: string): boolean => columnOf(key, new Set()) !== undefined;

function columnOf(header: string, fieldKeys: ReadonlySet<string>): Column | undefined {
  const key = columnKey(header);
  const attr = ATTRIBUTES[key];
  if (attr) return { to: attr, header };
  const list = /^(phone|e_?mail)s?_?\d*$/.exec(key);
  if (list) return { to: 'identity', kind: list[1] === 'phone' ? IdentityKind.Phone : IdentityKind.Email, header };
  if (isIdentityKind(key)) return { to: 'identity', kind: key, header };
  if (fieldKeys.has(key)) return { to: 'field', key, header };
  return undefined;
}

const FORMULA = /^(?:[=@\t\r]|[+-](?![\d\s.]*$))/;
const guard = (cell: string) => (FORMULA.test(cell) ? `'${cell}` : cell);
const unguard = (cell: string) => (cell.startsWith('\'') && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell);
const splitList = (cell: string) => cell.split(';').map((s) => s.trim()).filter(Boolean);

function parseRecords(text: string): string[][] {
  if (text.includes('\u0000')) throw bad('the file is not CSV text (it holds NUL bytes)');
  try {
    return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (err) {
    if (err instanceof CsvError) throw bad(`the file is not valid CSV: ${err.message}`);
    throw err;
  }
}

/** Reads a customer CSV; a file that is not CSV, or whose first row is not a header, is a 400. */
export function readCustomerCsv(text: string, defs: readonly FieldDefinition[]): CsvCustomerRow[] {
  const records = parseRecords(text);
  const header = records[0];
  if (!header || header.every((h) => !h.trim())) throw bad('the file is empty: the first row must be a header naming the columns (name, company, phone, email, ...)');
  const fieldKeys = new Set(defs.map((d) => d.key));
  const columns = header.map((h) => columnOf(h, fieldKeys));
  if (columns.every((c) => c === undefined)) {
    throw bad('the first row is not a header: name the columns (name, company, phone, email, language, tags, or custom field keys)');
  }
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (!c) throw bad(`column ${i + 1} ('${header[i]!.trim()}') is neither a customer attribute nor a custom field of this workspace`);
    if (c.to === 'identity' || c.to === 'ignored') return;
    const name = c.to === 'field' ? `field ${c.key}` : c.to;
    if (seen.has(name)) throw bad(`column '${c.header.trim()}' appears twice`);
    seen.add(name);
  });

  return records.slice(1).map((cells, i): CsvCustomerRow => {
    const out: CsvCustomerRow = { row: i + 2, identities: [], fields: {} };
    if (cells.length !== columns.length) {
      out.problem = `has ${cells.length} cells where the header has ${columns.length}`;
      return out;
    }
    cells.forEach((raw, j) => {
      const cell = unguard(raw.trim());
      const c = columns[j]!;
      if (!cell || c.to === 'ignored') return;
      switch (c.to) {
        case 'identity': {
          const values = splitList(cell);
          values.forEach((value, k) => out.identities.push({ kind: c.kind, value, field: values.length > 1 ? `${c.header.trim()} #${k + 1}` : c.header.trim() }));
          break;
        }
        case 'field': out.fields[c.key] = cell; break;
        case 'tags': out.tags = splitList(cell); break;
        default: out[c.to] = cell;
      }
    });
    return out;
  });
}

const formatValue = (v: FieldValue | undefined) => (v === undefined ? '' : String(v));

/** Writes customers with a header row (and a byte order mark, so spreadsheets read UTF-8). */
export function writeCustomerCsv(customers: readonly Customer[], defs: readonly FieldDefinition[]): string {
  const header = ['id', 'name', 'company', 'language', 'time_zone', 'tags', ...IDENTITY_KINDS, ...defs.map((d) => d.key), 'created_at', 'updated_at'];
  const rows = customers.map((c) => [
    c.id, c.name ?? '', c.company ?? '', c.language ?? '', c.timeZone ?? '', c.tags.join(';'),
    ...IDENTITY_KINDS.map((k) => c.identities.filter((i) => i.kind === k).map((i) => i.value).join(';')),
    ...defs.map((d) => formatValue(c.fields[d.key])),
    c.createdAt, c.updatedAt,
  ].map(guard));
  return stringify([header, ...rows], { bom: true, record_delimiter: 'windows' });
}
