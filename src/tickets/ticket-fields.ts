// Custom fields of a ticket type (pure), typed like the CRM's: text, number, date (ISO 8601 calendar
// date YYYY-MM-DD), select (one of the options). Values are checked when written; errors name the field.
import { DateTime } from 'luxon';
import { FIELD_TYPES, FieldType, type FieldDefinition, type FieldValue } from '../crm/index.ts';
import { DomainError } from '../kernel/index.ts';
import type { TicketTypeInput } from './ticket-model.ts';

export const MAX_FIELDS = 50;
export const MAX_TEXT_VALUE = 2000;
const MAX_OPTIONS = 100;
const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const invalid = (field: string, message: string) => new DomainError('SB_VALIDATION', 400, `${field} ${message}`, { field });

/** Checks a type's field definitions (keys unique, select options present); field names relative to `at`. */
export function checkFieldDefinitions(defs: NonNullable<TicketTypeInput['fields']>, at = 'fields'): FieldDefinition[] {
  if (defs.length > MAX_FIELDS) throw invalid(at, `can hold at most ${MAX_FIELDS} fields`);
  const keys = new Set<string>();
  return defs.map((d, i) => {
    const f = `${at}.${i}`;
    if (!KEY.test(d.key)) throw invalid(`${f}.key`, 'must be lower-case letters, digits and _ (starting with a letter), at most 40');
    if (keys.has(d.key)) throw invalid(`${f}.key`, `'${d.key}' is defined twice`);
    keys.add(d.key);
    if (!(FIELD_TYPES as readonly string[]).includes(d.type)) throw invalid(`${f}.type`, `must be one of ${FIELD_TYPES.join(', ')}`);
    const label = d.label.trim();
    if (!label) throw invalid(`${f}.label`, 'must not be empty');
    const options = (d.options ?? []).map((o) => o.trim());
    if (d.type === FieldType.Select) {
      if (options.length === 0 || options.length > MAX_OPTIONS) throw invalid(`${f}.options`, `a select field needs 1 to ${MAX_OPTIONS} options`);
      if (options.some((o) => !o) || new Set(options).size !== options.length) throw invalid(`${f}.options`, 'must be distinct and non-empty');
    } else if (options.length > 0) {
      throw invalid(`${f}.options`, 'are only for select fields');
    }
    return { key: d.key, label, type: d.type, options, required: d.required ?? false };
  });
}

function fieldValue(def: FieldDefinition, value: unknown, field: string): FieldValue {
  switch (def.type) {
    case FieldType.Number:
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a number');
      return value;
    case FieldType.Date:
      if (typeof value !== 'string' || !DATE.test(value) || !DateTime.fromISO(value, { zone: 'utc' }).isValid) throw invalid(field, 'must be a date (YYYY-MM-DD)');
      return value;
    case FieldType.Select:
      if (typeof value !== 'string' || !def.options.includes(value)) throw invalid(field, `must be one of ${def.options.join(', ')}`);
      return value;
    case FieldType.Text: {
      if (typeof value !== 'string') throw invalid(field, 'must be text');
      const text = value.normalize('NFC').trim();
      if (text.length > MAX_TEXT_VALUE) throw invalid(field, `must be at most ${MAX_TEXT_VALUE} characters`);
      return text;
    }
  }
}

/**
 * The values after `changes`: a key the type does not define or a value of the wrong type is a 400
 * naming `fields.<key>`; null or empty text clears a value, except of a required field. `creating`:
 * every required field must end up with a value.
 */
export function applyFieldValues(
  defs: readonly FieldDefinition[], current: Readonly<Record<string, FieldValue>>, changes: Readonly<Record<string, FieldValue | null>>, creating: boolean,
): Record<string, FieldValue> {
  const next: Record<string, FieldValue> = { ...current };
  for (const [key, raw] of Object.entries(changes)) {
    const def = defs.find((d) => d.key === key);
    const field = `fields.${key}`;
    if (!def) throw invalid(field, 'is not a field of this ticket type');
    const value = raw === null ? null : fieldValue(def, raw, field);
    if (value === null || value === '') {
      if (def.required) throw invalid(field, 'is required');
      delete next[key];
    } else {
      next[key] = value;
    }
  }
  if (creating) for (const def of defs) if (def.required && next[def.key] === undefined) throw invalid(`fields.${def.key}`, 'is required');
  return next;
}
