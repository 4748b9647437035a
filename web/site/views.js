// Rendering: the mode choices and the parameter form built from the lab info, the runs and comparison tables, status.
import { getModes, isMode } from './modes.js';

/** Creates an element with properties and children; text is always set through textContent. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) node.dataset[k] = v;
    }
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// ---------------------------------------------------------------------------------------------------------------
// Mode choices, from the lab info (modes.js)

/// Fills a <select> with an option per mode (the core's label); keeps its choice, else takes data-selected, else
/// the first mode.
export function renderModeOptions(select) {
  const chosen = select.value || select.dataset.selected;
  select.replaceChildren(...getModes().map((mode) => el('option', { value: mode.name, text: mode.label })));
  if (isMode(chosen)) select.value = chosen;
}

/// Fills a group with a checkbox per mode named `name`, the label's text in a <span>; the modes listed in the
/// group's data-checked (a comma list) start checked, once.
export function renderModeChecks(group, name) {
  const kept = new Set([...group.querySelectorAll(`input[name="${name}"]`)].filter((b) => b.checked).map((b) => b.value));
  const checked = group.children.length > 0 ? kept : new Set((group.dataset.checked ?? '').split(','));
  group.replaceChildren(...getModes().map((mode) => el('label', {},
    el('input', { type: 'checkbox', name, value: mode.name, checked: checked.has(mode.name) }), ' ',
    el('span', { text: mode.label }))));
}

// ---------------------------------------------------------------------------------------------------------------
// Parameter form

const fmt = (n) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15))));

function defaultText(spec) {
  return Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default ?? '');
}

function boundsHint(spec) {
  switch (spec.type) {
    case 'int':
      return `whole number, ${fmt(spec.min)} to ${fmt(spec.max)}`;
    case 'float':
      return `number, ${fmt(spec.min)} to ${fmt(spec.max)}`;
    case 'int_list':
      return `comma list of 1 to ${spec.max_items} whole numbers, each ${fmt(spec.min)} to ${fmt(spec.max)}`;
    case 'enum':
      return `one of ${(spec.choices ?? []).join(', ')}`;
    default:
      return '';
  }
}

/// Fills container with one labelled field per parameter of workload (id "param-<name>").
/// values: Map name -> text to restore (the user's last entries for this workload).
/// Parameters with an empty workload (crash_task, crash_how) belong to every workload and come last.
export function renderParamForm(container, specs, workload, values = new Map()) {
  const own = specs.filter((s) => s.workload === workload);
  const common = specs.filter((s) => s.workload === '');
  const fields = [...own, ...common].map((spec) => {
    const id = `param-${spec.name}`;
    const hintId = `${id}-hint`;
    const value = values.get(spec.name) ?? defaultText(spec);
    let input;
    if (spec.type === 'enum') {
      input = el('select', { id, name: spec.name, 'aria-describedby': hintId },
        ...(spec.choices ?? []).map((c) => el('option', { value: c, text: c })));
      input.value = value;
    } else if (spec.type === 'int_list') {
      input = el('input', { id, name: spec.name, type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': hintId });
      input.value = value;
    } else {
      input = el('input', {
        id, name: spec.name, type: 'number', min: spec.min, max: spec.max,
        step: spec.type === 'int' ? 1 : 'any', 'aria-describedby': hintId,
      });
      input.value = value;
    }
    return el('div', { className: spec.workload === '' ? 'field common' : 'field', dataset: { param: spec.name, shape: spec.shape || undefined } },
      el('label', { for: id, text: spec.name }),
      input,
      el('small', { id: hintId, className: 'hint', text: `${boundsHint(spec)}. ${spec.help ?? ''}`.trim() }),
    );
  });
  container.replaceChildren(...fields);
  updateShapeVisibility(container);
}

/// Shows only the primes parameters that belong to the chosen shape.
export function updateShapeVisibility(container) {
  const shape = container.querySelector('#param-shape')?.value;
  for (const field of container.querySelectorAll('.field[data-shape]')) {
    field.hidden = field.dataset.shape !== shape;
  }
}

/// The current texts of every field (hidden ones too), to restore them later.
export function paramTexts(container) {
  return new Map([...container.querySelectorAll('.field')].map((f) => [f.dataset.param, f.querySelector('input, select').value]));
}

/// Checks one field's text against its spec: {value} or {error} naming the parameter and its bounds.
export function checkParam(spec, text) {
  const name = spec.name;
  const t = String(text).trim();
  const between = `between ${fmt(spec.min)} and ${fmt(spec.max)}`;
  switch (spec.type) {
    case 'int': {
      const v = Number(t);
      if (t === '' || !/^[+-]?\d+$/.test(t)) return { error: `${name} must be a whole number ${between}` };
      if (v < spec.min || v > spec.max) return { error: `${name} must be ${between}` };
      return { value: v };
    }
    case 'float': {
      const v = Number(t);
      if (t === '' || !Number.isFinite(v) || v < spec.min || v > spec.max) return { error: `${name} must be ${between}` };
      return { value: v };
    }
    case 'enum':
      if (!(spec.choices ?? []).includes(t)) return { error: `${name} must be one of ${(spec.choices ?? []).join(', ')}` };
      return { value: t };
    case 'int_list': {
      const items = t.split(',').map((s) => s.trim());
      const bad = `${name} must be a comma list of 1 to ${spec.max_items} whole numbers, each ${between}`;
      if (t === '' || items.length > spec.max_items) return { error: bad };
      const values = [];
      for (const item of items) {
        const v = Number(item);
        if (!/^[+-]?\d+$/.test(item) || v < spec.min || v > spec.max) return { error: `${bad} (not: "${item}")` };
        values.push(v);
      }
      return { value: values };
    }
    default:
      return { value: t };
  }
}

/// Reads the visible fields into a params object {workload, ...}; {params} or {error, input} (first bad field).
/// Each field is checked against its spec; the rules that tie fields together are the core's (bridge.check).
export function readParamForm(container, specs, workload) {
  const params = { workload };
  for (const field of container.querySelectorAll('.field')) {
    if (field.hidden) continue;
    const input = field.querySelector('input, select');
    const spec = specs.find((s) => (s.workload === workload || s.workload === '') && s.name === field.dataset.param);
    if (!spec) continue;
    const result = checkParam(spec, input.value);
    input.setAttribute('aria-invalid', result.error ? 'true' : 'false');
    if (result.error) return { error: result.error, input };
    params[spec.name] = result.value;
  }
  return { params };
}

// ---------------------------------------------------------------------------------------------------------------
// Status and progress

export function setStatus(node, text, kind = 'info') {
  node.textContent = text;
  node.dataset.kind = kind;
}

/// total null or 0: indeterminate bar.
export function setProgress(node, done, total) {
  if (total) {
    node.max = total;
    node.value = Math.min(done, total);
  } else {
    node.removeAttribute('value');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

const seconds = (s) => (typeof s === 'number' && Number.isFinite(s) ? (s < 0.01 ? s.toPrecision(2) : s.toFixed(3)) : '–');

function outcome(run) {
  if (!run.ok) return { text: `error: ${run.error ?? 'unknown'}`, kind: 'error' };
  if (!run.complete) return { text: `stopped (${run.tasks_done ?? run.tasks?.length ?? '?'}/${run.task_count ?? '?'} tasks)`, kind: 'stopped' };
  return { text: 'ok', kind: 'ok' };
}

/// One tr.run-row per run, newest browser run first; onShowTimeline(entryId) for the row's Timeline button.
export function renderRunsTable(tbody, rows, { onShowTimeline, shownId }) {
  const ordered = [...rows.filter((r) => r.kind === 'browser').reverse(), ...rows.filter((r) => r.kind !== 'browser')];
  if (ordered.length === 0) {
    tbody.replaceChildren(el('tr', { className: 'empty' }, el('td', { colspan: 10, text: 'No runs yet: press Run, or upload a results file.' })));
    return;
  }
  tbody.replaceChildren(...ordered.map((row) => {
    const { run } = row;
    const state = outcome(run);
    const hasTasks = Array.isArray(run.tasks) && run.tasks.length > 0;
    const shown = row.id === shownId;
    // The accessible name starts with the visible word, so speech input ("click timeline") finds the button.
    const what = `the timeline of this ${run.workload} ${run.mode} run with ${run.workers} workers`;
    const button = el('button', {
      type: 'button', className: 'small', text: shown ? 'shown' : 'timeline', disabled: !hasTasks,
      'aria-pressed': shown ? 'true' : 'false',
      'aria-label': shown ? `shown: ${what}` : `timeline: show ${what}`,
      onclick: () => onShowTimeline(row.id),
    });
    return el('tr', { className: `run-row ${row.kind}`, dataset: { source: row.kind } },
      el('td', { text: row.source }),
      el('td', { text: run.workload }),
      el('td', { className: 'params', text: row.summary, title: row.summary }),
      el('td', { text: row.modeLabel ?? run.mode }),
      el('td', { className: 'num', text: String(run.workers) }),
      el('td', { className: 'num', text: seconds(run.wall_s) }),
      el('td', { className: 'num', text: row.speedup == null ? '–' : `${row.speedup.toFixed(2)}×` }),
      el('td', { className: 'mono', text: run.checksum ?? '–' }),
      el('td', { className: `outcome ${state.kind}`, text: state.text }),
      el('td', {}, button),
    );
  }));
}

const lastComparison = new WeakMap(); // tbody -> the comparison last rendered, for the baseline select

/// The ratio table (results.comparisonRows): one tr.comparison-row per (workload, params, mode, workers) timed in
/// the baseline set and another; one column per other set with its median and its ratio to the baseline. The
/// baseline is the select #compare-baseline's choice (kept while that set is there), else the default.
export function renderComparisonTable(tbody, comparison) {
  const doc = tbody.ownerDocument;
  const select = doc.getElementById('compare-baseline');
  lastComparison.set(tbody, comparison);
  if (select && !select.dataset.wired) {
    select.dataset.wired = 'true';
    select.addEventListener('change', () => {
      select.dataset.chosen = select.value;
      const last = lastComparison.get(tbody);
      if (last) renderComparisonTable(tbody, last);
    });
  }
  const sets = comparison?.sets ?? [];
  const wanted = select?.dataset.chosen && sets.includes(select.dataset.chosen) ? select.dataset.chosen : comparison?.defaultBaseline;
  const { baseline, others, rows } = comparison ? comparison.build(wanted) : { baseline: null, others: [], rows: [] };
  if (select) {
    select.replaceChildren(...sets.map((source) => el('option', { value: source, text: source })));
    select.disabled = sets.length < 2;
    if (sets.length === 0) select.append(el('option', { value: '', text: 'no result sets yet' }));
    else select.value = baseline;
  }
  const head = tbody.closest('table')?.tHead;
  if (head) {
    head.replaceChildren(el('tr', {},
      el('th', { scope: 'col', text: 'workload' }),
      el('th', { scope: 'col', text: 'parameters' }),
      el('th', { scope: 'col', text: 'mode' }),
      el('th', { scope: 'col', className: 'num', text: 'workers' }),
      el('th', { scope: 'col', className: 'num', text: `${baseline ?? 'baseline'} s`, title: 'the baseline: median wall time, seconds' }),
      ...others.map((source) => el('th', { scope: 'col', className: 'num', text: source, title: `median wall time in seconds, and (×) its ratio to ${baseline}` })),
    ));
  }
  if (rows.length === 0) {
    const text = sets.length < 2
      ? 'Nothing to compare yet: run something here and upload a file, or upload two files.'
      : `Nothing to compare: no workload, parameters, mode and workers are timed both in ${baseline} and in another set.`;
    tbody.replaceChildren(el('tr', { className: 'empty' }, el('td', { colspan: 5 + others.length, text })));
    return;
  }
  tbody.replaceChildren(...rows.map((r) => el('tr', { className: 'comparison-row' },
    el('td', { text: r.workload }),
    el('td', { className: 'params', text: r.summary, title: r.summary }),
    el('td', { text: r.mode }),
    el('td', { className: 'num', text: String(r.workers) }),
    el('td', { className: 'num', text: seconds(r.baseline_s), dataset: { source: baseline } }),
    ...r.cells.map((c) => el('td', {
      className: 'num', dataset: { source: c.source, ratio: c.ratio == null ? undefined : String(c.ratio) },
      title: c.ratio == null ? undefined : `${c.source}: ${seconds(c.seconds)} s, ${c.ratio.toFixed(3)} × the time of ${baseline}`,
      text: c.ratio == null ? '–' : `${seconds(c.seconds)} (${c.ratio.toFixed(2)}×)`,
    })),
  )));
}

const ENVIRONMENT_ROWS = [
  ['made by', 'generator'], ['target', 'target'], ['os', 'os'], ['cpu', 'cpu_model'], ['logical cpus', 'logical_cpus'],
  ['compiler / interpreter', 'compiler'], ['user agent', 'user_agent'], ['cross-origin isolated', 'cross_origin_isolated'],
  ['MPI job (ranks per host)', 'mpi'],
];
/// Rows shown only when some set has a value for them.
const OPTIONAL_ENVIRONMENT_ROWS = ['mpi'];

/// The environments side by side (results.environmentColumns): one column per set, one row per field.
export function renderEnvironmentTable(tbody, columns) {
  const wrap = tbody.closest('.table-wrap');
  if (wrap) wrap.hidden = false; // hidden in the page until the first render
  const head = tbody.closest('table')?.tHead;
  if (head) {
    head.replaceChildren(el('tr', {}, el('th', { scope: 'col', text: 'field' }),
      ...columns.map((c) => el('th', { scope: 'col', text: c.source }))));
  }
  if (columns.length === 0) {
    tbody.replaceChildren(el('tr', { className: 'empty' }, el('td', { text: 'No result sets yet.' })));
    return;
  }
  const text = (v) => (v === null || v === undefined || v === '' ? '–' : v === true ? 'yes' : v === false ? 'no' : String(v));
  const rows = ENVIRONMENT_ROWS.filter(([, key]) => !OPTIONAL_ENVIRONMENT_ROWS.includes(key) || columns.some((c) => c[key] != null));
  tbody.replaceChildren(...rows.map(([label, key]) => el('tr', { className: 'environment-row', dataset: { field: key } },
    el('th', { scope: 'row', text: label }),
    ...columns.map((c) => el('td', { className: key === 'user_agent' ? 'params' : undefined, text: text(c[key]), title: key === 'user_agent' ? text(c[key]) : undefined })),
  )));
}

/// Options of the speed-up chart's (workload, params) select, keeping the selection when still there.
export function renderGroupSelect(select, options, selected) {
  select.replaceChildren(...options.map((o) => el('option', { value: o.key, text: o.label })));
  select.disabled = options.length === 0;
  if (options.length === 0) select.append(el('option', { value: '', text: 'no timed runs yet' }));
  else select.value = selected;
}
