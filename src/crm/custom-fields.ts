// Custom fields (pure): a tenant defines keys with a type; values are checked against their type when
// written. Dates are ISO 8601 calendar dates (YYYY-MM-DD); numbers are finite JSON numbers.
import { DomainError } from '../kernel/index.ts';
import { isBuiltInColumn } from './customer-csv.ts';
import { FIELD_TYPES, FieldType, type FieldDefinition, type FieldValue } from './customer-model.ts';

export const MAX_FIELDS = 100;
const MAX_TEXT_VALUE = 2000;
const MAX_OPTIONS = 100;
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

const invalid = (field: string, message: string) => new DomainError('SB_VALIDATION', 400, `${field} ${message}`, { field });

export interface FieldDefinitionInput {
  key: string;
  label: string;
  type: FieldType;
  options?: string[] | undefined;
  required?: boolean | undefined;
}

/** Checks a whole set of definitions (keys unique, select options present) and returns it normalized. */
export function checkDefinitions(defs: readonly FieldDefinitionInput[]): FieldDefinition[] {
  if (defs.length > MAX_FIELDS) throw invalid('items', `can hold at most ${MAX_FIELDS} fields`);
  const seen = new Set<string>();
  return defs.map((d, i) => {
    const at = `items.${i}`;
    if (!KEY.test(d.key)) throw invalid(`${at}.key`, 'must be lower-case letters, digits and _ (starting with a letter), at most 40');
    if (isBuiltInColumn(d.key)) throw invalid(`${at}.key`, `'${d.key}' is a built-in attribute of a customer`);
    if (seen.has(d.key)) throw invalid(`${at}.key`, `'${d.key}' is defined twice`);
    seen.add(d.key);
    if (!(FIELD_TYPES as readonly string[]).includes(d.type)) throw invalid(`${at}.type`, `must be one of ${FIELD_TYPES.join(', ')}`);
    const label = d.label.trim();
    if (!label) throw invalid(`${at}.label`, 'must not be empty');
    let options: string[] = [];
    if (d.type === FieldType.Select) {
      options = (d.options ?? []).map((o) => o.trim());
      if (options.length === 0 || options.length > MAX_OPTIONS) throw invalid(`${at}.options`, `a select field needs 1 to ${MAX_OPTIONS} options`);
      if (options.some((o) => !o) || new Set(options).size !== options.length) throw invalid(`${at}.options`, 'must be distinct and non-empty');
    } else if (d.options && d.options.length > 0) {
      throw invalid(`${at}.options`, 'are only for select fields');
    }
    return { key: d.key, label, type: d.type, options, required: d.required ?? false };
  });
}

function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** One value checked against its definition. */
export function checkValue(def: FieldDefinition, value: unknown, field = `fields.${def.key}`): FieldValue {
  switch (def.type) {
    case FieldType.Number:
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a number');
      return value;
    case FieldType.Date:
      if (typeof value !== 'string' || !isCalendarDate(value)) throw invalid(field, 'must be a date (YYYY-MM-DD)');
      return value;
    case FieldType.Select:
      if (typeof value !== 'string' || !def.options.includes(value)) throw invalid(field, `must be one of ${def.options.join(', ')}`);
      return value;
    case FieldType.Text: {
      if (typeof value !== 'string') throw invalid(field, 'must be text');
      const s = value.normalize('NFC').trim();
      if (s.length > MAX_TEXT_VALUE) throw invalid(field, `must be at most ${MAX_TEXT_VALUE} characters`);
      return s;
    }
  }
}

/** A CSV cell as the value its field's type wants (numbers are written as plain decimals). */
export function parseCell(def: FieldDefinition, cell: string, field: string): FieldValue {
  if (def.type !== FieldType.Number) return checkValue(def, cell, field);
  if (!/^-?\d+(\.\d+)?$/.test(cell)) throw invalid(field, 'must be a number');
  return checkValue(def, Number(cell), field);
}

/**
 * Applies `changes` to `current`: unknown keys and values of the wrong type are refused, null (or an
 * empty text) clears a value, and a required field may not be cleared. `creating`: every required
 * field must end up with a value.
 */
export function applyFieldChanges(
  defs: readonly FieldDefinition[], current: Readonly<Record<string, FieldValue>>, changes: Readonly<Record<string, FieldValue | null>>, creating: boolean,
): Record<string, FieldValue> {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const next: Record<string, FieldValue> = { ...current };
  for (const [key, raw] of Object.entries(changes)) {
    const def = byKey.get(key);
    const field = `fields.${key}`;
    if (!def) throw invalid(field, 'is not a custom field of this workspace');
    const value = raw === null || raw === '' ? null : checkValue(def, raw, field);
    if (value === null || value === '') {
      if (def.required) throw invalid(field, 'is required');
      delete next[key];
    } else {
      next[key] = value;
    }
  }
  if (creating) {
    for (const def of defs) if (def.required && next[def.key] === undefined) throw invalid(`fields.${def.key}`, 'is required');
  }
  return next;
}
