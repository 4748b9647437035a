// The Runs panel's keeping side: the list of kept items (browser run groups, uploaded sets) with rename and
// delete, export of everything (JSON), CSV, import, and each chart as PNG. The store itself is history.js.
import * as exporter from './export.js';
import { attachHistory } from './history.js';
import { browserEnvironment } from './results.js';
import { TRACE_FILE_NAME, convertToTrace } from './trace-export.js';
import { el } from './views.js';

const $ = (id) => document.getElementById(id);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const when = (iso) => (typeof iso === 'string' ? iso.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1 UTC') : '');

/// Items of the kept list: {key, kind, id, name, details}, browser groups (newest first) then uploaded sets.
function keptItems(state) {
  const groups = [...state.browserGroups].reverse().map((g) => {
    const workloads = [...new Set(g.runs.map((r) => r.workload))].join(', ');
    return { key: `b${g.id}`, kind: 'browser', id: g.id, name: g.name, details: `${plural(g.runs.length, 'run')} in this browser (${workloads}), ${when(g.created)}` };
  });
  const sets = state.uploadedSets.map((s) => ({
    key: `u${s.id}`, kind: 'uploaded', id: s.id, name: s.name, details: `uploaded, ${plural(s.runs.length, 'run')}, ${s.generator}${s.created ? `, ${when(s.created)}` : ''}`,
  }));
  return [...groups, ...sets];
}

function renderKeptList(list, state) {
  // Re-rendering must not eat a name being typed: keep the focused field's text, caret and focus.
  const active = document.activeElement;
  const typing = active?.classList.contains('kept-name') && list.contains(active)
    ? { id: active.id, value: active.value, start: active.selectionStart, end: active.selectionEnd } : null;
  const items = keptItems(state);
  if (items.length === 0) {
    list.replaceChildren(el('li', { className: 'empty hint', text: 'Nothing kept yet: runs and uploaded files appear here.' }));
    return;
  }
  list.replaceChildren(...items.map((item) => {
    const inputId = `kept-name-${item.key}`;
    const what = item.kind === 'browser' ? 'browser runs' : 'uploaded set';
    const rename = () => {
      const input = $(inputId);
      const ok = item.kind === 'browser' ? state.renameBrowserGroup(item.id, input.value) : state.renameUploadedSet(item.id, input.value);
      if (!ok) input.value = item.name;
    };
    const input = el('input', {
      id: inputId, className: 'kept-name', type: 'text', maxlength: 120, autocomplete: 'off', spellcheck: 'false',
      'aria-label': `name of the ${what} “${item.name}”`,
      onkeydown: (event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          rename();
        } else if (event.key === 'Escape') {
          event.target.value = item.name;
        }
      },
    });
    input.value = item.name;
    return el('li', { className: 'kept-item', dataset: { kind: item.kind, id: String(item.id) } },
      input,
      el('button', { type: 'button', className: 'small kept-rename', text: 'rename', 'aria-label': `rename the ${what} “${item.name}” to the name typed`, onclick: rename }),
      el('button', {
        type: 'button', className: 'small kept-delete', text: 'delete', 'aria-label': `delete the ${what} “${item.name}”`,
        onclick: () => (item.kind === 'browser' ? state.deleteBrowserGroup(item.id) : state.removeUploadedSet(item.id)),
      }),
      el('span', { className: 'hint kept-details', text: ` ${item.details}` }),
    );
  }));
  if (typing && $(typing.id)) {
    const input = $(typing.id);
    input.value = typing.value;
    input.focus();
    input.setSelectionRange(typing.start, typing.end);
  }
}

function setNote(node, text, kind = 'info') {
  node.textContent = text;
  node.dataset.kind = kind;
  node.hidden = text === '';
}

/// Wires the panel to the state: loads what was kept, keeps the list current, and the export/import buttons.
/// Sets body[data-history] to "ready" (or "unavailable") once the kept items are loaded (the browser test waits).
export async function wireRunsPanel(state) {
  const ui = {
    list: $('kept-list'), note: $('history-note'), exportAll: $('export-all'), exportCsv: $('export-csv'),
    importFile: $('import-file'), importStatus: $('import-status'), trace: $('trace-export'),
  };
  const render = () => {
    renderKeptList(ui.list, state);
    const empty = state.browserGroups.length === 0 && state.uploadedSets.length === 0;
    ui.exportAll.disabled = empty;
    ui.exportCsv.disabled = empty;
    if (ui.trace) ui.trace.disabled = empty;
  };
  state.subscribe((what) => {
    if (what === 'runs' || what === 'uploads') render();
  });
  render();

  const version = () => state.ready?.buildInfo?.version ?? '0.1.0';
  ui.exportAll.addEventListener('click', () => {
    const data = exporter.buildExport(state, { environment: browserEnvironment(state.ready?.buildInfo), version: version() });
    exporter.downloadBlob(new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' }), exporter.EXPORT_FILE_NAME);
  });
  ui.exportCsv.addEventListener('click', () => {
    exporter.downloadBlob(new Blob([exporter.toCsv(state)], { type: 'text/csv' }), exporter.CSV_FILE_NAME);
  });
  ui.importFile.addEventListener('change', async () => {
    const file = ui.importFile.files?.[0];
    if (!file) return;
    try {
      if (file.size > exporter.MAX_IMPORT_BYTES) throw new exporter.ExportFileError(`${file.name} is over ${exporter.MAX_IMPORT_BYTES / 1024 / 1024} MB, the limit`);
      const parsed = exporter.parseExport(await file.text(), file.name);
      state.restore(parsed, { persist: true });
      const runs = [...parsed.groups, ...parsed.sets].reduce((n, item) => n + item.runs.length, 0);
      setNote(ui.importStatus, `Imported ${plural(parsed.groups.length, 'group')} of browser runs and ${plural(parsed.sets.length, 'uploaded set')} (${plural(runs, 'run')}) from ${file.name}.`, 'ok');
    } catch (error) {
      setNote(ui.importStatus, `Not imported: ${error.message}. Nothing kept was changed.`, 'error');
    } finally {
      ui.importFile.value = '';
    }
  });
  ui.trace?.addEventListener('click', async () => {
    ui.trace.disabled = true;
    try {
      const data = exporter.buildExport(state, { environment: browserEnvironment(state.ready?.buildInfo), version: version() });
      exporter.downloadBlob(new Blob([await convertToTrace(data)], { type: 'application/json' }), TRACE_FILE_NAME);
    } catch (error) {
      setNote(ui.importStatus, `The trace could not be written: ${error.message}.`, 'error');
    } finally {
      render();
    }
  });
  for (const [button, canvas, name] of [['png-timeline', 'timeline-chart', 'timeline'], ['png-speedup', 'speedup-chart', 'speedup'], ['png-time', 'time-chart', 'time']]) {
    $(button)?.addEventListener('click', async () => {
      try {
        const background = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() || '#ffffff';
        exporter.downloadBlob(await exporter.chartPng($(canvas), background), `parlab-${name}-chart.png`);
      } catch (error) {
        setNote(ui.importStatus, `The ${name} chart could not be saved: ${error.message}.`, 'error');
      }
    });
  }

  const kept = await attachHistory(state, { onNote: (line) => setNote(ui.note, line, 'error') });
  document.body.dataset.history = kept.available ? 'ready' : 'unavailable';
  document.body.dataset.historyLoadMs = kept.ms.toFixed(1);
  return kept;
}
