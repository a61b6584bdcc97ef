// Custom fields of a ticket type: definitions are checked, values typed, errors name the field.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../kernel/index.ts';
import { applyFieldValues, checkFieldDefinitions } from './ticket-fields.ts';

const field = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DomainError);
    assert.equal(e.status, 400);
    return { field: e.details?.['field'], message: e.message };
  }
  assert.fail('expected a validation error');
};

const DEFS = checkFieldDefinitions([
  { key: 'site', label: 'Site', type: 'text', required: true },
  { key: 'units', label: 'Units', type: 'number' },
  { key: 'visit', label: 'Visit', type: 'date' },
  { key: 'warranty', label: 'Warranty', type: 'select', options: ['yes', 'no'] },
]);

describe('ticket custom fields', () => {
  test('typed values are kept; null and empty text clear', () => {
    const v = applyFieldValues(DEFS, {}, { site: '  Shop 3 ', units: 2, visit: '2026-02-28', warranty: 'yes' }, true);
    assert.deepEqual(v, { site: 'Shop 3', units: 2, visit: '2026-02-28', warranty: 'yes' });
    assert.deepEqual(applyFieldValues(DEFS, v, { units: null, visit: null }, false), { site: 'Shop 3', warranty: 'yes' });
  });

  test('an unknown field or a wrong type is a 400 naming the field', () => {
    assert.deepEqual(field(() => applyFieldValues(DEFS, {}, { site: 'x', colour: 'red' }, true)).field, 'fields.colour');
    assert.deepEqual(field(() => applyFieldValues(DEFS, {}, { site: 'x', units: '2' }, true)), { field: 'fields.units', message: 'fields.units must be a number' });
    assert.equal(field(() => applyFieldValues(DEFS, {}, { site: 'x', visit: '2026-02-30' }, true)).field, 'fields.visit');
    assert.equal(field(() => applyFieldValues(DEFS, {}, { site: 'x', visit: '28/02/2026' }, true)).field, 'fields.visit');
    assert.match(field(() => applyFieldValues(DEFS, {}, { site: 'x', warranty: 'maybe' }, true)).message, /must be one of yes, no/);
    assert.equal(field(() => applyFieldValues(DEFS, {}, { site: 7 }, true)).field, 'fields.site');
  });

  test('a required field must be given when creating and cannot be cleared', () => {
    assert.match(field(() => applyFieldValues(DEFS, {}, {}, true)).message, /fields.site is required/);
    assert.equal(field(() => applyFieldValues(DEFS, { site: 'x' }, { site: null }, false)).field, 'fields.site');
  });

  test('definitions: keys unique and well formed, options only for select fields', () => {
    assert.equal(field(() => checkFieldDefinitions([{ key: 'a', label: 'A', type: 'text' }, { key: 'a', label: 'B', type: 'text' }])).field, 'fields.1.key');
    assert.equal(field(() => checkFieldDefinitions([{ key: '1a', label: 'A', type: 'text' }])).field, 'fields.0.key');
    assert.equal(field(() => checkFieldDefinitions([{ key: 's', label: 'S', type: 'select' }])).field, 'fields.0.options');
    assert.equal(field(() => checkFieldDefinitions([{ key: 't', label: 'T', type: 'text', options: ['x'] }])).field, 'fields.0.options');
    assert.equal(field(() => checkFieldDefinitions([{ key: 't', label: 'T', type: 'colour' as 'text' }])).field, 'fields.0.type');
  });
});
