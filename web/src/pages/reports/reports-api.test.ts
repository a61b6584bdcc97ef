// The reports pages mirror the server's lists of dimensions, grains, intervals and counting
// options (the web bundle carries no server code): they must stay the same lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as server from '../../../../src/analytics/index.ts';
import { COUNTING, DIMENSIONS, GRAINS, INTERVAL_MINUTES, SERVICE_LEVEL_FORMULAS } from './reports-api.ts';

test('the pages offer exactly the dimensions, grains, intervals and service-level options the server takes', () => {
  assert.deepEqual([...DIMENSIONS].sort(), [...server.DIMENSIONS].sort());
  assert.deepEqual([...GRAINS], [...server.GRAINS]);
  assert.deepEqual([...INTERVAL_MINUTES], [...server.INTERVAL_MINUTES]);
  assert.deepEqual([...SERVICE_LEVEL_FORMULAS], [...server.SERVICE_LEVEL_FORMULAS]);
  assert.deepEqual(COUNTING, server.COUNTING);
});
