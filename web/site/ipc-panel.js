// The "Pipes and queues (IPC)" panel: reads its fields, calls sayHello() / measureIpc() from ipc.js, shows results.
import { IPC_LIMITS, measureIpc, sayHello, sharedMemoryUnavailableReason, validateIpcParams } from './ipc.js';

const $ = (id) => document.getElementById(id);

function formatNumber(value, digits = 0) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function renderResults(body, result) {
  body.replaceChildren();
  for (const t of result.transports) {
    const row = document.createElement('tr');
    row.className = 'ipc-row';
    row.dataset.transport = t.id;
    row.dataset.available = String(t.available);
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = t.label;
    row.append(th);
    if (!t.available) {
      const td = cell(row, `unavailable: ${t.reason}`, 'outcome');
      td.colSpan = 4;
    } else {
      cell(row, formatNumber(t.seconds, 4), 'num');
      cell(row, formatNumber(t.messagesPerS), 'num');
      cell(row, formatNumber(t.mbPerS, 1), 'num');
      cell(row, t.intact
        ? `intact: ${t.received} messages, checksum ${t.receivedChecksum.toString(16)}`
        : `NOT intact: ${t.received}/${result.count} received, checksum ${t.receivedChecksum.toString(16)} vs ${t.sentChecksum.toString(16)}${t.inOrder ? '' : ', out of order'}`,
      `outcome ${t.intact ? 'ok' : 'error'}`);
    }
    body.append(row);
  }
}

/// Wires the panel's buttons; does nothing if the page has no IPC panel.
export function initIpcPanel() {
  const ui = {
    form: $('ipc-form'), size: $('ipc-size'), count: $('ipc-count'), hello: $('ipc-hello'), measure: $('ipc-measure'),
    stop: $('ipc-stop'), status: $('ipc-status'), helloOutput: $('ipc-hello-output'), results: $('ipc-results'),
    progress: $('ipc-progress'),
  };
  if (!ui.form) return;
  ui.size.max = String(IPC_LIMITS.maxSize);
  ui.count.max = String(IPC_LIMITS.maxCount);
  const reason = sharedMemoryUnavailableReason();
  $('ipc-ring-note').textContent = reason
    ? `The SharedArrayBuffer ring is unavailable here: it ${reason}. postMessage still works.`
    : 'This page is cross-origin isolated, so the SharedArrayBuffer ring runs too.';
  let controller = null;
  const setStatus = (text, kind) => {
    ui.status.textContent = text;
    ui.status.dataset.kind = kind;
  };

  ui.hello.addEventListener('click', async () => {
    ui.hello.disabled = true;
    try {
      const hello = await sayHello();
      ui.helloOutput.textContent = `${hello.message}. It says: name "${hello.name}", cross-origin isolated: `
        + `${hello.crossOriginIsolated}, SharedArrayBuffer: ${hello.sharedArrayBuffer ? 'yes' : 'no'}, logical CPUs: `
        + `${hello.hardwareConcurrency ?? 'unknown'}, started ${(hello.timeOrigin - performance.timeOrigin).toFixed(1)} ms `
        + `after this page. ${hello.note}`;
      ui.helloOutput.dataset.kind = 'done';
    } catch (error) {
      ui.helloOutput.textContent = `The worker did not answer: ${error.message}`;
      ui.helloOutput.dataset.kind = 'error';
    } finally {
      ui.hello.disabled = false;
    }
  });

  ui.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const params = { size: Number(ui.size.value), count: Number(ui.count.value) };
    try {
      validateIpcParams(params);
    } catch (error) {
      setStatus(error.message, 'error');
      return;
    }
    controller = new AbortController();
    ui.measure.disabled = true;
    ui.stop.disabled = false;
    ui.progress.value = 0;
    setStatus('Measuring between two workers…', 'running');
    try {
      const result = await measureIpc({
        ...params,
        signal: controller.signal,
        onProgress: ({ transport, done, total }) => {
          ui.progress.value = total ? done / total : 0;
          setStatus(`Measuring ${transport}: ${done}/${total} messages…`, 'running');
        },
      });
      renderResults(ui.results, result);
      const intact = result.transports.every((t) => !t.available || t.intact);
      setStatus(intact ? 'Done: every message arrived intact.' : 'Done, but some messages did not arrive intact.', intact ? 'done' : 'error');
    } catch (error) {
      setStatus(error.name === 'AbortError' ? 'Stopped.' : `Error: ${error.message}`, error.name === 'AbortError' ? 'stopped' : 'error');
    } finally {
      controller = null;
      ui.measure.disabled = false;
      ui.stop.disabled = true;
      ui.progress.value = 0;
    }
  });

  ui.stop.addEventListener('click', () => controller?.abort());
}
