// The lesson sequence's pure parts (web/site/lesson-nav.js): a card's outcome for the learner, the stored progress
// read back defensively, and which hashes name a card.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { INCONCLUSIVE } from '../../web/site/experiments.js';
import { cardIdFromHash, outcomeOf, parseProgress } from '../../web/site/lesson-nav.js';

const IDS = ['io-threads', 'cpu-gil'];

test('outcome: the verdict against the prediction', () => {
  assert.equal(outcomeOf('more', 'more'), 'right');
  assert.equal(outcomeOf('none', 'more'), 'wrong');
  assert.equal(outcomeOf('none', INCONCLUSIVE), INCONCLUSIVE);
  assert.equal(outcomeOf('none', ''), 'done', 'a card with no verdict is simply done');
});

test('progress: a round trip keeps known cards and drops the rest', () => {
  const stored = { current: 'cpu-gil', cards: { 'cpu-gil': { prediction: 'not-gil', verdict: 'not-gil', outcome: 'right' }, gone: { outcome: 'right' } } };
  assert.deepEqual(parseProgress(JSON.stringify(stored), IDS), { current: 'cpu-gil', cards: { 'cpu-gil': stored.cards['cpu-gil'] } });
});

test('progress: bad or foreign text reads as no progress', () => {
  const empty = { current: null, cards: {} };
  for (const text of [null, '', '{', '42', '"x"', '{"current":"nope"}', '{"cards":{"io-threads":{"outcome":"great"}}}']) {
    assert.deepEqual(parseProgress(text, IDS), empty, String(text));
  }
});

test('hash: only #card-ID of a known card', () => {
  assert.equal(cardIdFromHash('#card-cpu-gil', IDS), 'cpu-gil');
  assert.equal(cardIdFromHash('#card-unknown', IDS), null);
  assert.equal(cardIdFromHash('#workbench', IDS), null);
  assert.equal(cardIdFromHash('', IDS), null);
});
