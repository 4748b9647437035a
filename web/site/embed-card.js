// The embed page's card view (embed.html?card=ID): one guided card, rendered and run by lessons.js exactly as on the
// lab page, over the embed's own lab worker. Framed by another site the page is not cross-origin isolated: the card
// runs what works without isolation (lessons.js leaves the rest out and names it), and one sentence above it says
// what needs the full lab, with a link to the card there. An unknown or missing id gives one line saying where the
// ids are, and the link to the lab.
import { cardFromQuery, cardLink, fullLabSentence, splitByIsolation } from './card-share.js';
import { cardEnv, initOneCard } from './lessons.js';
import { initTwoPhasePanel } from './two-phase.js';
import { el, setStatus } from './views.js';

const $ = (id) => document.getElementById(id);

/// The view's status line, shown only while it has something to say.
function say(node, text, kind) {
  setStatus(node, text, kind);
  node.hidden = text === '';
}

/// Shows the card the address names, using `bridge` (the embed page's LabBridge, not yet started) for its runs.
export async function startCardEmbed(bridge) {
  const ui = {
    title: $('card-embed-title'), error: $('card-embed-error'), note: $('card-embed-note'), status: $('card-embed-status'),
    card: $('embed-card'), fullLab: $('card-full-lab'),
  };
  $('embed-loading').hidden = true;
  $('embed-card-view').hidden = false;
  const labBase = new URL('./', location.href).href;
  ui.fullLab.href = labBase;
  const { card, error } = cardFromQuery(location.search);
  if (error) {
    ui.error.textContent = error;
    ui.error.hidden = false;
    document.body.dataset.cardError = 'true';
    return;
  }

  const state = { paramSpecs: [], uploadedSets: [] };
  let busy = false;
  let stopped = false;

  async function ensureReady() {
    try {
      state.paramSpecs = (await bridge.ready).paramSpecs;
      return true;
    } catch (failure) {
      say(ui.status, `Error: ${failure.message}. Reload the page to try again.`, 'error');
      return false;
    }
  }

  /// Runs the jobs one after another, as the lab page's runJobs does (main.js), without its runs table: Stop ends
  /// the one in flight and skips the rest. Returns [{job, run, error}] for the jobs it ran.
  async function runJobs(jobs, { onProgress } = {}) {
    busy = true;
    stopped = false;
    const made = [];
    try {
      for (let i = 0; i < jobs.length && !stopped; i++) {
        const job = jobs[i];
        try {
          const checked = await bridge.check(job.params);
          if (checked.error) throw new Error(checked.error);
          onProgress?.({ index: i, done: 0, total: checked.taskCount });
          const run = await bridge.run(job, {
            totalHint: checked.taskCount,
            onProgress: ({ done, total, threads }) => onProgress?.({ index: i, done, total, threads }),
          });
          if (job.job) run.job = job.job; // a phase of a two-phase job (two-phase.js)
          made.push({ job, run, error: null });
        } catch (failure) {
          made.push({ job, run: null, error: failure.message });
        }
        if (bridge.stuck) {
          stopped = true;
          say(ui.status, 'The lab worker stopped answering and was ended: reload the page to run again.', 'error');
        }
      }
    } finally {
      busy = false;
    }
    return made;
  }

  const stop = () => {
    stopped = true;
    bridge.stop();
  };

  document.title = `parlab: ${card.title}`;
  ui.title.textContent = document.title;
  ui.fullLab.href = cardLink(card.id, labBase);
  ui.fullLab.textContent = 'Open this card in the full lab';
  const context = { runJobs, ensureReady, state, isolated: self.crossOriginIsolated === true, isBusy: () => busy, stop, doneNote: 'Done.',
    uploads: false };
  initTwoPhasePanel({ runJobs, ensureReady, isBusy: () => busy, getSpecs: () => state.paramSpecs, showTimeline: () => {} });
  initOneCard(context, card, ui.card);

  say(ui.status, 'Starting the lab worker…', 'running');
  if (!(await ensureReady())) return;
  const sentence = fullLabSentence(card, splitByIsolation(card, cardEnv()));
  if (sentence) {
    ui.note.replaceChildren(sentence[0],
      el('a', { href: cardLink(card.id, labBase), target: '_blank', rel: 'noopener', text: 'the full lab' }), sentence[1]);
    ui.note.hidden = false;
  }
  say(ui.status, '', 'done');
  document.body.dataset.ready = 'true';
}
