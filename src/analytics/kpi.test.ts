// Every KPI against counts worked out by hand.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  abandoned, abandonRate, answered, answerRate, averageHandleTime, averageHoldTime, averageSpeedOfAnswer, averageSurveyScore, averageTalkTime,
  averageTimeToAbandon, averageWrapUpTime, customerSatisfaction, firstContactResolution, isSatisfied, isShortAbandon, occupancy, offerAcceptance,
  offered, serviceLevel, shortAbandoned, transferRate, withinServiceLevel, type CountingOptions,
} from './kpi.ts';
import { emptyMeasures, emptyStateTime, type Measures } from './measures.ts';

const m = (p: Partial<Measures>): Measures => ({ ...emptyMeasures(), ...p });
const opts = (p: Partial<CountingOptions> = {}): CountingOptions => ({ formula: 'answered-of-answered-and-abandoned', shortAbandons: 'exclude', overflows: 'exclude', ...p });

// 100 entered: 70 answered (56 within T), 20 abandoned (8 within T), 6 short abandons (all within T), 4 overflowed out.
const day = m({ offered: 100, answered: 70, answeredInSl: 56, abandoned: 20, abandonedInSl: 8, shortAbandoned: 6, shortAbandonedInSl: 6, overflowed: 4 });

describe('service level, by formula', () => {
  test('answered within T over answered and abandoned: 56 / (70 + 20)', () => {
    assert.equal(serviceLevel(day, opts()), 56 / 90);
  });
  test('abandons within T left out: 56 / (70 + 20 − 8)', () => {
    assert.equal(serviceLevel(day, opts({ formula: 'answered-of-answered-and-late-abandoned' })), 56 / 82);
  });
  test('answered within T over offered: 56 / (100 − 6 short − 4 overflowed)', () => {
    assert.equal(serviceLevel(day, opts({ formula: 'answered-of-offered' })), 56 / 90);
  });
  test('abandons within T count as met: (56 + 8) / (70 + 20)', () => {
    assert.equal(serviceLevel(day, opts({ formula: 'answered-and-early-abandoned-of-answered-and-abandoned' })), 64 / 90);
  });
  test('short abandons included count as abandons (within T as well)', () => {
    assert.equal(serviceLevel(day, opts({ shortAbandons: 'include' })), 56 / 96);
    assert.equal(serviceLevel(day, opts({ shortAbandons: 'include', formula: 'answered-of-answered-and-late-abandoned' })), 56 / (96 - 14));
    assert.equal(serviceLevel(day, opts({ shortAbandons: 'include', formula: 'answered-of-offered' })), 56 / 96);
  });
  test('overflows included count as not answered within T', () => {
    assert.equal(serviceLevel(day, opts({ overflows: 'include' })), 56 / 94);
    assert.equal(serviceLevel(day, opts({ overflows: 'include', formula: 'answered-of-offered' })), 56 / 94);
    assert.equal(serviceLevel(day, opts({ overflows: 'include', shortAbandons: 'include', formula: 'answered-of-offered' })), 56 / 100);
  });
  test('no contacts: no service level (null, not 0)', () => {
    assert.equal(serviceLevel(emptyMeasures(), opts()), null);
    assert.equal(serviceLevel(m({ offered: 3, shortAbandoned: 3, shortAbandonedInSl: 3 }), opts({ formula: 'answered-of-offered' })), null);
  });
});

describe('counts and rates', () => {
  test('offered leaves out short abandons and overflows unless included', () => {
    assert.equal(offered(day, opts()), 90);
    assert.equal(offered(day, opts({ shortAbandons: 'include' })), 96);
    assert.equal(offered(day, opts({ overflows: 'include' })), 94);
  });
  test('abandoned counts short abandons only when included; short abandons always apart', () => {
    assert.equal(abandoned(day, opts()), 20);
    assert.equal(abandoned(day, opts({ shortAbandons: 'include' })), 26);
    assert.equal(shortAbandoned(day), 6);
    assert.equal(answered(day), 70);
  });
  test('answer and abandonment rates over offered as counted', () => {
    assert.equal(answerRate(day, opts()), 70 / 90);
    assert.equal(abandonRate(day, opts()), 20 / 90);
    assert.equal(abandonRate(day, opts({ shortAbandons: 'include' })), 26 / 96);
  });
});

describe('times', () => {
  const handled = m({ answered: 4, waitAnsweredMs: 4 * 12_500, abandoned: 1, shortAbandoned: 1, waitAbandonedMs: 33_000, handled: 4, talkMs: 600_000, holdMs: 60_000, wrapMs: 120_000, transferred: 1 });
  test('ASA: total answered wait over answered', () => { assert.equal(averageSpeedOfAnswer(handled), 12.5); });
  test('average time to abandon: over every abandon, short ones too', () => { assert.equal(averageTimeToAbandon(handled), 16.5); });
  test('AHT = (talk + hold + wrap-up) / handled', () => { assert.equal(averageHandleTime(handled), (600 + 60 + 120) / 4); });
  test('average talk, hold and wrap-up', () => {
    assert.equal(averageTalkTime(handled), 150);
    assert.equal(averageHoldTime(handled), 15);
    assert.equal(averageWrapUpTime(handled), 30);
  });
  test('transfer rate over handled', () => { assert.equal(transferRate(handled), 0.25); });
  test('nothing handled: null times', () => {
    assert.equal(averageHandleTime(emptyMeasures()), null);
    assert.equal(averageSpeedOfAnswer(emptyMeasures()), null);
  });
});

describe('agents, customers', () => {
  test('occupancy = (Busy + AfterCallWork) / (Busy + AfterCallWork + Available); NotReady and Offline play no part', () => {
    assert.equal(occupancy({ ...emptyStateTime(), busyMs: 30 * 60_000, afterCallWorkMs: 10 * 60_000, availableMs: 20 * 60_000, notReadyMs: 3_600_000, offlineMs: 9e6 }), 40 / 60);
    assert.equal(occupancy({ ...emptyStateTime(), notReadyMs: 1000 }), null);
  });
  test('offer acceptance', () => { assert.equal(offerAcceptance(m({ offers: 5, offersAccepted: 4, offersMissed: 1 })), 0.8); });
  test('CSAT is the share of 4s and 5s; average score', () => {
    assert.equal(customerSatisfaction(m({ csatResponses: 8, csatSatisfied: 6, csatScoreSum: 31 })), 0.75);
    assert.equal(averageSurveyScore(m({ csatResponses: 8, csatSatisfied: 6, csatScoreSum: 31 })), 31 / 8);
    assert.deepEqual([1, 2, 3, 4, 5].map(isSatisfied), [false, false, false, true, true]);
  });
  test('FCR is resolved over eligible', () => { assert.equal(firstContactResolution(m({ fcrEligible: 10, fcrResolved: 7 })), 0.7); });
});

describe('classifying one contact', () => {
  test('within T is a wait of at most T', () => {
    assert.equal(withinServiceLevel(20_000, 20), true);
    assert.equal(withinServiceLevel(20_001, 20), false);
  });
  test('a short abandon is strictly under the threshold', () => {
    assert.equal(isShortAbandon(4_999, 5), true);
    assert.equal(isShortAbandon(5_000, 5), false);
  });
});
