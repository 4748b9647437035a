// One guided card outside the lab page: its link in the full lab (#card-ID), its embed page (embed.html?card=ID) and
// iframe snippet, the card an embed address names, and what of a card needs the full lab when the page is not
// cross-origin isolated. Also the "Copy link" / "Copy embed code" buttons on every card of the lab page.
import { CARDS, jobsFor } from './experiments.js';
import { TRANSPORTS } from './ipc.js';
import { getModeIndex, needsPthreads } from './modes.js';
import { embedCode, offerCopy } from './share.js';
import { el } from './views.js';

/// The iframe's size in the copied snippet: a card with its answer and pictures is taller than the form's embed;
/// the frame scrolls inside when the answer is longer.
export const CARD_EMBED_SIZE = Object.freeze({ width: 720, height: 900 });

/// The longest part of an unknown id the error message repeats.
const SHOWN_ID_CHARS = 40;

/// The lab page's address that opens card `id` (the lesson list's #card-ID links, lesson-nav.js). `labBase`: the lab
/// page's own address; its query (the Workbench's set-up) and hash are left out.
export function cardLink(id, labBase) {
  const url = new URL(labBase);
  url.search = '';
  url.hash = `card-${id}`;
  return url.href;
}

/// The embed page's query for card `id`.
export const cardEmbedQuery = (id) => `card=${encodeURIComponent(id)}`;

/// The iframe snippet of `card` for a course page; `labBase`: the lab page's address (embed.html sits beside it).
export function cardEmbedCode(card, labBase) {
  return embedCode(cardEmbedQuery(card.id), `parlab: ${card.title}`, labBase, CARD_EMBED_SIZE);
}

/// An id as the message repeats it: control characters shown as "?", at most SHOWN_ID_CHARS characters.
function shown(id) {
  const clean = id.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > SHOWN_ID_CHARS ? `${clean.slice(0, SHOWN_ID_CHARS)}…` : clean;
}

/// The card an embed address names: {card}, or {error} (one line saying where the ids are, and listing them).
export function cardFromQuery(search, cards = CARDS) {
  const asked = new URLSearchParams(search).getAll('card');
  const where = `Card ids are those of "parlab experiment list" and of the lab's lesson links (#card-ID): ${cards.map((c) => c.id).join(', ')}.`;
  if (asked.length > 1) return { error: `The address names ${asked.length} cards; an embed shows one (?card=ID). ${where}` };
  const id = (asked[0] ?? '').trim();
  if (id === '') return { error: `The address names no card: add ?card=ID. ${where}` };
  const card = cards.find((c) => c.id === id);
  if (!card) return { error: `There is no card "${shown(id)}" in this lab. ${where}` };
  return { card };
}

const unique = (items) => [...new Set(items)];
const inModeOrder = (names) => unique(names).sort((a, b) => getModeIndex(a) - getModeIndex(b));
/// "a, b and c"
const listed = (names) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/// What of `card` runs on a page described by `env` (lessons.js' cardEnv) and what needs a cross-origin isolated
/// page: {here, needs}, each a list of names (modes, or for the IPC card its transports); needs is empty when the
/// whole card runs here.
export function splitByIsolation(card, env) {
  if (card.runner === 'ipc') {
    // "postMessage, ArrayBuffer transferred (no copy)" -> "postMessage"; one name per kind of transport.
    const names = (transports) => unique(transports.map((t) => t.label.split(/ \(|,/)[0]));
    const shared = TRANSPORTS.filter((t) => t.needsSharedMemory);
    return env.isolated ? { here: names(TRANSPORTS), needs: [] }
      : { here: names(TRANSPORTS.filter((t) => !shared.includes(t))), needs: names(shared) };
  }
  if (card.textOnly || !card.plan) return { here: [], needs: [] };
  const modesOf = (j) => (j.gather ? [j.gather.mode, j.render.mode] : [j.mode]);
  const { runnable, skipped } = jobsFor(card, env);
  return {
    here: inModeOrder(runnable.flatMap(modesOf)),
    needs: inModeOrder(skipped.flatMap((s) => modesOf(s.job)).filter(needsPthreads)),
  };
}

/// The embed's one sentence on what needs the full lab, as [text before, text after] the link "the full lab";
/// null when the whole card runs here. A card that judges uploaded files (the MPI card) needs the lab's Upload.
export function fullLabSentence(card, split) {
  if (card.runner === 'uploads') return ['This card judges uploaded results files, which an embedded card does not take: upload them in ', '.'];
  if (split.needs.length === 0) return null;
  const ipc = card.runner === 'ipc';
  const here = split.here.length === 0 ? 'none of this card runs here'
    : `this card makes its ${listed(split.here)} ${ipc ? 'measurements' : 'runs'} here`;
  const needs = ipc ? `its ${listed(split.needs)} ${split.needs.length === 1 ? 'needs' : 'need'}` : `its ${listed(split.needs)} runs need`;
  return [`This embedded page is not cross-origin isolated, so ${here}; ${needs} `, '.'];
}

/// Adds "Copy link" and "Copy embed code" to each guided card in `container` (the lab page's #experiment-cards);
/// `labBase`: the lab page's address.
export function wireCardShare(container, labBase = location.href) {
  if (!container) return;
  for (const article of container.querySelectorAll('.card')) {
    const card = CARDS.find((c) => c.id === article.dataset.cardId);
    if (!card) continue;
    const field = el('input', { type: 'text', readonly: true, hidden: true, className: 'card-share-text', id: `card-share-text-${card.id}` });
    const status = el('p', { className: 'hint card-share-status', role: 'status', 'aria-live': 'polite' });
    const hint = el('small', { className: 'hint', id: `card-share-hint-${card.id}`,
      text: 'The link opens the lab on this card; the embed code is an iframe of this card alone, for a course page (docs/hosting.md).' });
    const button = (text, className, make, what) => el('button', {
      type: 'button', className: `small ${className}`, text, 'aria-describedby': hint.id,
      onclick: () => offerCopy(field, status, make(), what),
    });
    const row = el('div', { className: 'buttons card-share' },
      button('Copy link', 'card-copy-link', () => cardLink(card.id, labBase), 'link to this card'),
      button('Copy embed code', 'card-copy-embed', () => cardEmbedCode(card, labBase), 'embed code of this card'),
      hint, el('label', { className: 'visually-hidden', for: field.id, text: 'link or embed code of this card, to copy' }), field, status);
    const lesson = article.querySelector('.card-lesson');
    if (lesson) lesson.before(row);
    else article.append(row);
  }
}
