// Keeping, exporting and sharing in headless Chromium: runs survive a reload, rename and delete stick, an export
// imported into an emptied page gives back the same state, a copied link opens the same set-up, and a page whose
// IndexedDB is missing still runs (with a one-line note).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { openPage, runOnce, startLab, waitForReady, watchPage } from './helpers.mjs';

const SMALL = { workload: 'primes', params: { shape: 'inputs', inputs: '1000000' } };
const CHECKSUM = '37550402023'; // sum of the primes <= 1000000 (docs/architecture.md)
const TIMEOUT = 120_000;

/// What IndexedDB holds now: {groups: [{id, name}], runs: count, sets: [{id, name}]} (read from the page).
function kept(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('parlab');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['groups', 'runs', 'sets'], 'readonly');
      const out = {};
      tx.objectStore('groups').getAll().onsuccess = (e) => { out.groups = e.target.result.map((g) => ({ id: g.id, name: g.name })); };
      tx.objectStore('runs').count().onsuccess = (e) => { out.runs = e.target.result; };
      tx.objectStore('sets').getAll().onsuccess = (e) => { out.sets = e.target.result.map((s) => ({ id: s.id, name: s.name })); };
      tx.oncomplete = () => { db.close(); resolve(out); };
    };
  }));
}

/// Waits until the store satisfies `check(kept)`; returns what it holds.
async function keptUntil(page, check, what, timeout = 10_000) {
  const end = Date.now() + timeout;
  let seen = await kept(page);
  while (!check(seen) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    seen = await kept(page);
  }
  assert.ok(check(seen), `${what}: the store holds ${JSON.stringify(seen)}`);
  return seen;
}

async function reload(page) {
  await page.reload();
  await waitForReady(page);
  await page.waitForSelector('body[data-history]', { state: 'attached', timeout: 30_000 });
}

const keptNames = (page) => page.locator('#kept-list li.kept-item input.kept-name').evaluateAll((inputs) => inputs.map((i) => i.value));

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click(selector)]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

describe('keep, export and share', { timeout: 600_000 }, () => {
  let lab;
  before(async () => {
    lab = await startLab('parlab-history-');
  });
  after(async () => {
    await lab?.close();
  });

  test('runs survive a reload; rename and delete survive one too', { timeout: TIMEOUT * 3 }, async () => {
    const { page, problems } = await openPage(lab);
    await page.waitForSelector('body[data-history="ready"]', { state: 'attached', timeout: 30_000 });
    const first = await runOnce(page, { ...SMALL, mode: 'sequential', workers: 1 }, TIMEOUT);
    assert.match(first.status, new RegExp(`checksum ${CHECKSUM}`), first.status);
    const second = await runOnce(page, { ...SMALL, mode: 'processes', workers: 2 }, TIMEOUT);
    assert.match(second.status, new RegExp(`checksum ${CHECKSUM}`), second.status);
    await keptUntil(page, (k) => k.runs === 2 && k.groups.length === 2, 'both runs kept');

    await reload(page);
    assert.equal(await page.locator('#runs-table tr.run-row').count(), 2, 'both runs are in the table after a reload');
    // Kept runs are a set of their own ("this browser earlier"), so they compare with this visit's runs.
    assert.match(await page.locator('#runs-table tr.run-row td:nth-child(1)').first().textContent(), /^browser, earlier \(\d{4}-\d\d-\d\d\)$/);
    const names = await keptNames(page);
    assert.equal(names.length, 2);
    assert.match(names[0], /processes/); // newest first
    assert.match(names[1], /sequential/);

    // Rename the newest with the keyboard (type, Enter); delete the older with its button.
    const input = page.locator('#kept-list li.kept-item input.kept-name').first();
    await input.fill('two processes');
    await input.press('Enter');
    await page.locator('#kept-list li.kept-item').nth(1).locator('button.kept-delete').click();
    await keptUntil(page, (k) => k.groups.length === 1 && k.runs === 1 && k.groups[0].name === 'two processes', 'rename and delete kept');

    await reload(page);
    assert.deepEqual(await keptNames(page), ['two processes']);
    assert.equal(await page.locator('#runs-table tr.run-row').count(), 1);
    assert.equal(await page.locator('#runs-table tr.run-row td:nth-child(4)').textContent(), 'processes');
    assert.ok(await page.locator('#kept-list button.kept-delete').first().getAttribute('aria-label'));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('export everything, empty the page, import: the same state comes back', { timeout: TIMEOUT * 3 }, async () => {
    const { page, problems } = await openPage(lab);
    await page.waitForSelector('body[data-history="ready"]', { state: 'attached', timeout: 30_000 });
    await runOnce(page, { ...SMALL, mode: 'async', workers: 2 }, TIMEOUT);
    await runOnce(page, { ...SMALL, mode: 'processes', workers: 2 }, TIMEOUT);
    // An uploaded set too: a results file made from the browser's own runs, marked native.
    const results = JSON.parse((await download(page, '#export')).text);
    results.environment.target = 'native';
    const uploadFile = join(lab.work, 'native-results.json');
    writeFileSync(uploadFile, JSON.stringify(results));
    await page.setInputFiles('#upload', uploadFile);
    await page.waitForFunction(() => document.getElementById('upload-status').dataset.kind === 'ok', null, { timeout: 10_000 });
    await keptUntil(page, (k) => k.sets.length === 1, 'the uploaded set kept');

    const exported = await download(page, '#export-all');
    assert.equal(exported.name, 'parlab-lab-export.json');
    const before = JSON.parse(exported.text);
    assert.equal(before.parlab_export, 1);
    assert.equal(before.browser.length, 2, 'one group per Run press');
    assert.equal(before.uploaded.length, 1);
    assert.deepEqual(before.browser.map((g) => g.runs[0].mode), ['async', 'processes']);
    const csv = await download(page, '#export-csv');
    const runCount = before.browser.reduce((n, g) => n + g.runs.length, 0) + before.uploaded[0].runs.length;
    assert.equal(csv.text.trimEnd().split('\r\n').length, 1 + runCount, 'CSV: a header and one row per run');

    // Empty the page (and the store), then import the file.
    await page.click('#clear-runs');
    await page.locator('#kept-list button.kept-delete').first().click();
    await keptUntil(page, (k) => k.groups.length === 0 && k.sets.length === 0 && k.runs === 0, 'everything deleted');
    await reload(page);
    assert.equal(await page.locator('#kept-list li.kept-item').count(), 0);
    const importFile = join(lab.work, 'export.json');
    writeFileSync(importFile, exported.text);
    await page.setInputFiles('#import-file', importFile);
    await page.waitForFunction(() => document.getElementById('import-status').dataset.kind === 'ok', null, { timeout: 10_000 });

    const again = JSON.parse((await download(page, '#export-all')).text);
    delete before.created;
    delete again.created;
    assert.deepStrictEqual(again, before, 'the export of the imported state equals the export imported');
    // And it was kept: after a reload the same again.
    await keptUntil(page, (k) => k.runs === before.browser.reduce((n, g) => n + g.runs.length, 0) && k.sets.length === 1, 'import kept');
    await reload(page);
    const third = JSON.parse((await download(page, '#export-all')).text);
    delete third.created;
    assert.deepStrictEqual(third, before, 'and after a reload');

    // A chart as PNG.
    const png = await Promise.all([page.waitForEvent('download'), page.click('#png-timeline')]);
    const bytes = readFileSync(await png[0].path());
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');

    // A bad file changes nothing and says why in one line.
    const badFile = join(lab.work, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ ...before, browser: [{ name: 'x', runs: [{ mode: 'fork' }] }] }));
    await page.setInputFiles('#import-file', badFile);
    await page.waitForFunction(() => document.getElementById('import-status').dataset.kind === 'error', null, { timeout: 10_000 });
    assert.match(await page.locator('#import-status').textContent(), /^Not imported: .*browser\[0\].*Nothing kept was changed\.$/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a copied link opens the same set-up; bad values in a link are named', { timeout: TIMEOUT }, async () => {
    const { page, problems } = await openPage(lab);
    await page.evaluate(() => {
      const set = (id, value) => {
        const el = document.getElementById(id);
        el.value = value;
        el.dispatchEvent(new Event('change', { bubbles: true }));
      };
      set('workload', 'primes');
      set('param-shape', 'chunked');
      set('param-n', '300000');
      set('param-chunks', '16');
      set('mode', 'processes');
      set('workers', '3');
      set('sweep-workers', '1,3');
    });
    await page.click('#copy-link');
    const link = await page.locator('#share-text').inputValue();
    assert.match(link, /\?workload=primes&shape=chunked&n=300000&chunks=16&mode=processes&workers=3&sweep_modes=.*&sweep_workers=1,3/);
    assert.equal(page.url(), link, 'the address bar holds the set-up too');
    await page.click('#copy-embed');
    const snippet = await page.locator('#share-text').inputValue();
    assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html\?workload=primes&amp;shape=chunked&amp;n=300000/);

    const other = await lab.context.newPage();
    await other.goto(link);
    await waitForReady(other);
    const form = await other.evaluate(() => ({
      workload: document.getElementById('workload').value, shape: document.getElementById('param-shape').value,
      n: document.getElementById('param-n').value, chunks: document.getElementById('param-chunks').value,
      mode: document.getElementById('mode').value, workers: document.getElementById('workers').value,
      sweep: document.getElementById('sweep-workers').value, note: document.getElementById('link-note').hidden,
    }));
    assert.deepEqual(form, { workload: 'primes', shape: 'chunked', n: '300000', chunks: '16', mode: 'processes', workers: '3', sweep: '1,3', note: true });

    await other.goto(`${lab.url()}?workload=download&count=0&mode=threads&workers=4`);
    await waitForReady(other);
    const note = await other.locator('#link-note').textContent();
    assert.match(note, /count="0" from the link: count must be between 1 and 1000/);
    assert.equal(await other.locator('#workload').inputValue(), 'download');
    assert.equal(await other.locator('#param-count').inputValue(), '12', 'the bad value was left out: the default stays');
    assert.equal(await other.locator('#mode').inputValue(), 'threads');

    // Not isolated: a link asking for threads opens on sequential, and says so.
    await other.goto(`${lab.url(false)}?workload=primes&mode=threads&workers=2`);
    await waitForReady(other);
    assert.equal(await other.locator('#mode').inputValue(), 'sequential');
    assert.equal(await other.locator('#link-note').textContent(),
      'The link asks for mode threads, which this page cannot run (the note at the top says why); sequential is selected instead.');
    assert.deepEqual(problems, []);
    await other.close();
    await page.close();
  });

  test('without IndexedDB the page says so in one line and still runs', { timeout: TIMEOUT }, async () => {
    const page = await lab.context.newPage();
    await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
    await page.goto(lab.url());
    await waitForReady(page);
    await page.waitForSelector('body[data-history="unavailable"]', { state: 'attached', timeout: 30_000 });
    const note = await page.locator('#history-note').textContent();
    assert.match(note, /^Runs will not be kept after a reload: .*\(NotSupportedError\)\.$/);
    const { status } = await runOnce(page, { ...SMALL, mode: 'sequential', workers: 1 }, TIMEOUT);
    assert.match(status, new RegExp(`checksum ${CHECKSUM}`));
    assert.equal(await page.locator('#kept-list li.kept-item').count(), 1, 'kept for this page at least');
    await page.close();
  });

  test('a full storage quota gives a one-line note and the run still shows', { timeout: TIMEOUT }, async () => {
    const page = await lab.context.newPage();
    const { problems } = watchPage(page);
    await page.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function full(value, key) {
        if (this.name === 'runs') throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
        return put.call(this, value, key);
      };
    });
    await page.goto(lab.url());
    await waitForReady(page);
    await page.waitForSelector('body[data-history="ready"]', { state: 'attached', timeout: 30_000 });
    const { status } = await runOnce(page, { ...SMALL, mode: 'sequential', workers: 1 }, TIMEOUT);
    assert.match(status, new RegExp(`checksum ${CHECKSUM}`));
    await page.waitForFunction(() => !document.getElementById('history-note').hidden, null, { timeout: 10_000 });
    assert.equal(await page.locator('#history-note').textContent(),
      "Could not keep the last run: this browser's storage for the site is full; delete kept items or export them, then try again.");
    assert.ok(await page.locator('#runs-table tr.run-row').count() >= 1);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('loading 100 kept runs (measured)', { timeout: TIMEOUT * 2 }, async () => {
    const { page } = await openPage(lab);
    await page.waitForSelector('body[data-history="ready"]', { state: 'attached', timeout: 30_000 });
    await runOnce(page, { ...SMALL, mode: 'sequential', workers: 1 }, TIMEOUT);
    const exported = JSON.parse((await download(page, '#export-all').catch(() => null))?.text ?? 'null');
    const one = exported?.browser?.[0]?.runs?.[0];
    assert.ok(one?.tasks?.length, 'an earlier test left a run to copy');
    // A run the size of a chunked primes run: 64 tasks.
    const run = { ...one, task_count: 64, tasks_done: 64, tasks: Array.from({ length: 64 }, (_, id) => ({ ...one.tasks[0], id })) };
    const file = { parlab_export: 1, generator: 'test', created: '', environment: null, browser: [] };
    for (let g = 0; g < 10; g++) file.browser.push({ name: `sweep ${g}`, created: '2026-11-23T08:00:00Z', runs: Array.from({ length: 10 }, () => run) });
    const path = join(lab.work, 'hundred.json');
    writeFileSync(path, JSON.stringify(file));
    await page.setInputFiles('#import-file', path);
    await page.waitForFunction(() => document.getElementById('import-status').dataset.kind === 'ok', null, { timeout: 10_000 });
    await keptUntil(page, (k) => k.runs >= 100, '100 runs kept');
    const times = [];
    for (let i = 0; i < 5; i++) {
      await reload(page);
      times.push(Number(await page.evaluate(() => document.body.dataset.historyLoadMs)));
    }
    times.sort((a, b) => a - b);
    // The store alone, on an idle page: open the database and read everything back.
    const alone = await page.evaluate(async () => {
      const { openStore, loadAll } = await import('./history.js');
      const out = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const db = await openStore();
        await loadAll(db);
        out.push(performance.now() - t0);
        db.close();
      }
      return out.sort((a, b) => a - b);
    });
    const k = await kept(page);
    console.log(`# history: ${k.runs} runs (100 imported ones of 64 tasks each) in ${k.groups.length} groups, load average ${loadavg()[0].toFixed(1)}; from page start to loaded: median ${times[2]} ms (min ${times[0]}, max ${times[4]}); open + read alone: median ${alone[2].toFixed(1)} ms (min ${alone[0].toFixed(1)}, max ${alone[4].toFixed(1)})`);
    assert.ok(await page.locator('#runs-table tr.run-row').count() >= 100);
    await page.close();
  });
});
