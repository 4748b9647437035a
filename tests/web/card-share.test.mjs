// One guided card outside the lab page (web/site/card-share.js): its link in the lab, its embed snippet, the card an
// embed address names (unknown, missing or hostile ids give one line listing the ids), and what of each card needs
// a cross-origin isolated page.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CARD_EMBED_SIZE, cardEmbedCode, cardFromQuery, cardLink, fullLabSentence, splitByIsolation } from '../../web/site/card-share.js';
import { CARDS } from '../../web/site/experiments.js';
import { TRANSPORTS } from '../../web/site/ipc.js';
import { getModeNames, needsPthreads } from '../../web/site/modes.js';
import { loadPageLabInfo } from './lab-info.mjs';

await loadPageLabInfo(); // modes.js: which modes need the pthread build, as the lab worker's ready message says

const byId = (id) => CARDS.find((c) => c.id === id);
const env = (isolated) => ({ isolated, cores: 2, workloads: ['primes', 'download', 'factorials', 'overhead', 'counter', 'deadlock', 'crash', 'copy', 'cv'], options: {} });

test('a card\'s link opens the lab on it, without the Workbench\'s set-up or another card\'s hash', () => {
  assert.equal(cardLink('cpu-gil', 'https://uni.example/parlab/index.html?workload=primes&mode=threads#card-io-threads'),
    'https://uni.example/parlab/index.html#card-cpu-gil');
  assert.equal(cardLink('amdahl', 'http://127.0.0.1:8080/'), 'http://127.0.0.1:8080/#card-amdahl');
});

test('a card\'s embed code is an iframe of embed.html?card=ID beside the lab page, its title escaped', () => {
  const card = byId('cpu-gil');
  assert.equal(cardEmbedCode(card, 'https://uni.example/parlab/index.html?workload=primes#card-cpu-gil'),
    `<iframe src="https://uni.example/parlab/embed.html?card=cpu-gil" title="parlab: ${card.title}" width="${CARD_EMBED_SIZE.width}" `
    + `height="${CARD_EMBED_SIZE.height}" loading="lazy" allow="cross-origin-isolated"></iframe>`);
  const odd = cardEmbedCode({ id: 'x', title: 'a "quoted" <b> & more' }, 'https://uni.example/');
  assert.match(odd, / title="parlab: a &quot;quoted&quot; &lt;b> &amp; more" /);
});

test('every card\'s embed address names that card', () => {
  for (const card of CARDS) {
    const src = /src="([^"]+)"/.exec(cardEmbedCode(card, 'https://uni.example/parlab/'))[1];
    assert.equal(cardFromQuery(new URL(src.replace(/&amp;/g, '&')).search).card, card);
  }
});

test('a missing, unknown, doubled or hostile card id gives one line that lists the card ids', () => {
  const ids = CARDS.map((c) => c.id).join(', ');
  const cases = [
    ['?card=', /^The address names no card: add \?card=ID\. /],
    ['?card=%20', /^The address names no card/],
    ['?card=cpu-gill', /^There is no card "cpu-gill" in this lab\. /],
    ['?card=CPU-GIL', /^There is no card "CPU-GIL" in this lab\. /],
    ['?card=amdahl&card=async', /^The address names 2 cards; an embed shows one \(\?card=ID\)\. /],
    [`?card=${encodeURIComponent('<img src=x onerror=alert(1)>')}`, /^There is no card "<img src=x onerror=alert\(1\)>" in this lab\. /],
    [`?card=${encodeURIComponent('a\nb\u0000c')}`, /^There is no card "a\?b\?c" in this lab\. /],
    [`?card=${'x'.repeat(500)}`, new RegExp(`^There is no card "${'x'.repeat(40)}…" in this lab\\. `)],
  ];
  for (const [search, start] of cases) {
    const { card, error } = cardFromQuery(search);
    assert.equal(card, undefined, search);
    assert.match(error, start, search);
    assert.ok(error.endsWith(`Card ids are those of "parlab experiment list" and of the lab's lesson links (#card-ID): ${ids}.`), error);
    assert.doesNotMatch(error, /\n/, 'one line');
  }
  assert.equal(cardFromQuery('?card=amdahl&workload=primes').card, byId('amdahl'), 'other keys are left alone');
});

test('not isolated, a threads card runs its other modes and names its threads modes for the full lab', () => {
  const card = byId('cpu-gil');
  const split = splitByIsolation(card, env(false));
  assert.deepEqual(split, { here: ['sequential', 'processes'], needs: ['threads', 'threads-gil'] });
  assert.deepEqual(fullLabSentence(card, split), ['This embedded page is not cross-origin isolated, so this card makes its '
    + 'sequential and processes runs here; its threads and threads-gil runs need ', '.']);
  assert.deepEqual(splitByIsolation(card, env(true)).needs, []);
  assert.equal(fullLabSentence(card, splitByIsolation(card, env(true))), null, 'isolated: nothing to say');
});

test('not isolated, the IPC card measures postMessage and leaves the shared-memory ring to the full lab', () => {
  const card = byId('pipes-queues');
  const split = splitByIsolation(card, env(false));
  assert.deepEqual(split, { here: ['postMessage'], needs: ['SharedArrayBuffer ring'] });
  assert.ok(TRANSPORTS.some((t) => t.needsSharedMemory && t.label.startsWith('SharedArrayBuffer ring')));
  assert.equal(fullLabSentence(card, split).join('the full lab'), 'This embedded page is not cross-origin isolated, so this card makes '
    + 'its postMessage measurements here; its SharedArrayBuffer ring needs the full lab.');
  assert.deepEqual(splitByIsolation(card, env(true)).needs, []);
});

test('a card that judges uploaded files sends them to the full lab, isolated or not', () => {
  const uploads = CARDS.filter((c) => c.runner === 'uploads');
  assert.ok(uploads.length >= 1, 'the MPI card reads uploads');
  for (const card of uploads) {
    for (const isolated of [false, true]) {
      assert.deepEqual(fullLabSentence(card, splitByIsolation(card, env(isolated))),
        ['This card judges uploaded results files, which an embedded card does not take: upload them in ', '.']);
    }
  }
});

test('for every card, what needs the full lab is exactly its modes that need the pthread build', () => {
  for (const card of CARDS) {
    for (const isolated of [false, true]) {
      const { here, needs } = splitByIsolation(card, env(isolated));
      if (card.runner === 'ipc') continue;
      for (const mode of [...here, ...needs]) assert.ok(getModeNames().includes(mode), `${card.id}: ${mode} is a mode`);
      assert.ok(needs.every(needsPthreads), `${card.id}: ${needs}`);
      if (isolated) assert.deepEqual(needs, [], `${card.id}: isolated, everything runs`);
      else assert.ok(here.every((m) => !needsPthreads(m)), `${card.id} runs no threads mode without isolation: ${here}`);
    }
  }
  assert.ok(CARDS.some((c) => splitByIsolation(c, env(false)).needs.length === 0 && c.plan), 'some card runs whole without isolation');
});
