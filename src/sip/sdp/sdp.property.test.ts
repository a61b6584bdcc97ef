import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { answerOffer } from './offer-answer.ts';
import { parseSdp, serializeSdp } from './sdp.ts';

const linphone = readFileSync(join(import.meta.dirname, 'fixtures', 'linphone-offer.sdp'), 'latin1');
const lines = linphone.split('\r\n');

describe('SDP on arbitrary and damaged input', () => {
  it('parseSdp never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      assert.equal(typeof parseSdp(s).ok, 'boolean');
    }), { numRuns: 2000 });
  });

  it('dropping, duplicating or cutting lines of a real offer never throws, and what parses re-serializes stably', () => {
    const edit = fc.record({ index: fc.nat({ max: lines.length - 1 }), kind: fc.constantFrom('drop', 'dup', 'cut'), at: fc.nat({ max: 30 }) });
    fc.assert(fc.property(fc.array(edit, { maxLength: 6 }), (edits) => {
      const copy = [...lines];
      for (const e of edits) {
        const line = copy[e.index];
        if (line === undefined) continue;
        if (e.kind === 'drop') copy.splice(e.index, 1);
        else if (e.kind === 'dup') copy.splice(e.index, 0, line);
        else copy[e.index] = line.slice(0, e.at);
      }
      const r = parseSdp(copy.join('\r\n'));
      if (!r.ok) return;
      const written = serializeSdp(r.value);
      const again = parseSdp(written);
      assert.ok(again.ok);
      assert.equal(serializeSdp(again.value), written);
      const answer = answerOffer(r.value, { address: '192.0.2.1', port: 4000, supported: ['PCMU', 'PCMA'], sessionId: '1', sessionVersion: 1 });
      assert.equal(typeof answer.ok, 'boolean');
    }), { numRuns: 1000 });
  });
});
