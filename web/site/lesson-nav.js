// The guided cards as a sequence: the lesson list with the learner's progress (localStorage), one card shown at a
// time, Previous / Next, and #card-ID in the address opening that card.
import { INCONCLUSIVE } from './experiments.js';
import { el } from './views.js';

/// The storage key; a new version starts from no progress rather than misreading an old shape.
export const PROGRESS_KEY = 'parlab.lessons.v1';
const CARD_HASH = /^#card-([a-z0-9-]+)$/;

/// How a finished card went for the learner: 'right' (the measurement supported their prediction), 'wrong' (it
/// supported another), 'inconclusive', or 'done' (the card gives no verdict).
export function outcomeOf(prediction, verdict) {
  if (!verdict) return 'done';
  if (verdict === INCONCLUSIVE) return INCONCLUSIVE;
  return verdict === prediction ? 'right' : 'wrong';
}

const OUTCOMES = new Set(['right', 'wrong', INCONCLUSIVE, 'done']);

/// {current, cards: {id: {prediction, verdict, outcome}}} from stored text, keeping only the cards in `ids` and
/// well-formed entries (the text may come from an older page or be edited by hand).
export function parseProgress(text, ids) {
  const progress = { current: null, cards: {} };
  let stored;
  try {
    stored = JSON.parse(text ?? 'null');
  } catch {
    return progress;
  }
  if (!stored || typeof stored !== 'object') return progress;
  if (ids.includes(stored.current)) progress.current = stored.current;
  for (const id of ids) {
    const entry = stored.cards?.[id];
    if (entry && OUTCOMES.has(entry.outcome)) {
      progress.cards[id] = { prediction: String(entry.prediction ?? ''), verdict: String(entry.verdict ?? ''), outcome: entry.outcome };
    }
  }
  return progress;
}

/// The id a hash names when it is one of `ids` ("#card-cpu-gil" -> "cpu-gil"), else null.
export function cardIdFromHash(hash, ids) {
  const id = CARD_HASH.exec(hash ?? '')?.[1] ?? null;
  return ids.includes(id) ? id : null;
}

const OUTCOME_TEXT = {
  right: '✓ done: the measurement supported your prediction',
  wrong: '✗ done: the measurement supported another answer',
  [INCONCLUSIVE]: '? done: inconclusive on this machine',
  done: '✓ done',
};

const $ = (id) => document.getElementById(id);

function loadProgress(ids) {
  try {
    return parseProgress(localStorage.getItem(PROGRESS_KEY), ids);
  } catch {
    return parseProgress(null, ids); // storage refused: progress lasts for this page only
  }
}

function saveProgress(progress) {
  try {
    localStorage.setItem(PROGRESS_KEY, JSON.stringify(progress));
  } catch {
    // storage refused or full: the list still shows this visit's progress
  }
}

/// Wires the list, Previous / Next and the address to the cards lessons.js rendered into #experiment-cards.
/// Call once, after the cards exist; it needs nothing from the lab worker, so the first card shows at once.
export function initLessonNav() {
  const container = $('experiment-cards');
  const cards = [...container.querySelectorAll('.card')];
  if (cards.length === 0) return;
  const ids = cards.map((c) => c.dataset.cardId);
  const byId = new Map(cards.map((c) => [c.dataset.cardId, c]));
  const progress = loadProgress(ids);
  const links = new Map();
  const marks = new Map();

  $('lesson-links').replaceChildren(...cards.map((card) => {
    const id = card.dataset.cardId;
    const link = el('a', { href: `#card-${id}`, text: card.querySelector('h3').textContent });
    const mark = el('span', { className: 'lesson-mark' });
    links.set(id, link);
    marks.set(id, mark);
    return el('li', {}, link, ' ', mark);
  }));

  const renderProgress = () => {
    let finished = 0;
    for (const id of ids) {
      const outcome = progress.cards[id]?.outcome;
      if (outcome) finished += 1;
      marks.get(id).textContent = outcome ? OUTCOME_TEXT[outcome] : '';
      marks.get(id).dataset.outcome = outcome ?? '';
    }
    const right = ids.filter((id) => progress.cards[id]?.outcome === 'right').length;
    $('lesson-progress').textContent = finished === 0
      ? `${ids.length} lessons; your progress is kept in this browser.`
      : `${finished} of ${ids.length} done; ${right} of your predictions were supported by what this browser measured.`;
    $('lesson-reset').hidden = finished === 0;
  };

  const show = (id, { focus }) => {
    const index = ids.indexOf(id);
    for (const card of cards) card.hidden = card.dataset.cardId !== id;
    for (const [cardId, link] of links) {
      if (cardId === id) link.setAttribute('aria-current', 'step');
      else link.removeAttribute('aria-current');
    }
    $('card-prev').disabled = index === 0;
    $('card-next').disabled = index === ids.length - 1;
    $('card-position').textContent = `Lesson ${index + 1} of ${ids.length}`;
    container.dataset.current = id;
    if (progress.current !== id) {
      progress.current = id;
      saveProgress(progress);
    }
    if (focus) {
      const heading = byId.get(id).querySelector('h3');
      heading.tabIndex = -1; // focusable from script only, so a screen reader starts reading at the new card
      heading.focus();
    }
  };

  /// Opens a card through the address, so that Back returns to the card before and the link can be shared.
  const go = (id) => {
    if (location.hash === `#card-${id}`) show(id, { focus: true });
    else location.hash = `card-${id}`;
  };
  const step = (by) => {
    const next = ids[ids.indexOf(container.dataset.current) + by];
    if (next) go(next);
  };

  $('card-prev').addEventListener('click', () => step(-1));
  $('card-next').addEventListener('click', () => step(1));
  // Other hashes (#workbench, #lab) are ordinary jumps and leave the card shown.
  window.addEventListener('hashchange', () => {
    const id = cardIdFromHash(location.hash, ids);
    if (id) show(id, { focus: true });
  });
  $('lesson-reset').addEventListener('click', () => {
    progress.cards = {};
    saveProgress(progress);
    renderProgress();
  });

  // A card's run ends with data-verdict set, then data-state="done" (lessons.js): that is when it counts as done.
  new MutationObserver((records) => {
    for (const { target } of records) {
      if (target.dataset.state !== 'done' || !ids.includes(target.dataset.cardId)) continue;
      const prediction = target.querySelector('.card-predictions input:checked')?.value ?? '';
      const verdict = target.dataset.verdict ?? '';
      progress.cards[target.dataset.cardId] = { prediction, verdict, outcome: outcomeOf(prediction, verdict) };
      saveProgress(progress);
      renderProgress();
    }
  }).observe(container, { subtree: true, attributes: true, attributeFilter: ['data-state'] });

  renderProgress();
  const fromHash = cardIdFromHash(location.hash, ids);
  show(fromHash ?? progress.current ?? ids[0], { focus: fromHash !== null });
  if (fromHash && document.readyState !== 'complete') {
    // At load the browser scrolls to the fragment's card and, as the card itself is not focusable, clears focus:
    // give it back to the heading unless the learner has moved it meanwhile.
    window.addEventListener('load', () => setTimeout(() => {
      if (document.activeElement === document.body && container.dataset.current === fromHash) show(fromHash, { focus: true });
    }), { once: true });
  }
  // First paint of the first card, for scripts/first-card-paint.mjs: the frame after this one is drawn with it.
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('parlab:first-card-painted')));
}
