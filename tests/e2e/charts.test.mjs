// The charts in headless Chromium: after a small sweep the speed-up chart carries fitted Amdahl curves, the
// logical-CPU marker is drawn (here, and for an uploaded set from a "bigger" machine), every chart's data is also
// a table, controls are reachable by keyboard with a visible focus, and dark mode re-themes page and charts.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { setField } from '../../scripts/chromium.mjs';
import { exportedRuns, openPage, startLab } from './helpers.mjs';

const RUN_TIMEOUT_MS = 180_000;

/// WCAG contrast ratio of two "rgb(r, g, b)" colours.
function contrast(a, b) {
  const lum = (css) => {
    const [r, g, bl] = css.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const chartInfo = (page) => page.evaluate(() => {
  const speedup = globalThis.Chart.getChart('speedup-chart');
  const time = globalThis.Chart.getChart('time-chart');
  return {
    hw: navigator.hardwareConcurrency,
    amdahl: speedup.data.datasets.filter((d) => d.amdahl).map((d) => ({ label: d.label, f: d.amdahl.f })),
    speedupMarks: speedup.options.plugins.cpuMarks?.marks ?? [],
    timeMarks: time.options.plugins.cpuMarks?.marks ?? [],
    marksAttr: document.getElementById('speedup-chart').dataset.cpuMarks ?? '',
    rows: {
      timeline: document.querySelectorAll('#timeline-data tr.data-row').length,
      speedup: document.querySelectorAll('#speedup-data tr.data-row').length,
      time: document.querySelectorAll('#time-data tr.data-row').length,
    },
    note: document.getElementById('speedup-data-note').textContent,
    chartColour: globalThis.Chart.defaults.color,
  };
});

const pageColours = (page) => page.evaluate(() => {
  const style = (el) => getComputedStyle(el);
  return {
    bodyBg: style(document.body).backgroundColor, bodyFg: style(document.body).color,
    panelBg: style(document.querySelector('.panel.charts')).backgroundColor,
    summary: style(document.querySelector('.chart-data summary')).color,
    caption: style(document.querySelector('.panel.charts figcaption')).color,
  };
});

describe('charts: Amdahl fit, CPU markers, data tables, keyboard and dark mode', { timeout: 600_000 }, () => {
  let lab;
  before(async () => { lab = await startLab('parlab-charts-'); });
  after(async () => { await lab?.close(); });

  test('a small sweep gets Amdahl curves, markers and tables; dark mode re-themes', async () => {
    const { page, problems } = await openPage(lab);
    await setField(page, '#workload', 'primes');
    await setField(page, '#param-shape', 'chunked');
    await setField(page, '#param-n', 200000);
    await setField(page, '#param-chunks', 16);
    for (const mode of ['sequential', 'threads', 'threads-gil', 'async', 'processes']) {
      await page.locator(`input[name="sweep-mode"][value="${mode}"]`).setChecked(mode === 'sequential' || mode === 'threads');
    }
    await setField(page, '#sweep-workers', '1,2');
    await page.click('#sweep');
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tr.run-row').length >= 3
      && !document.getElementById('sweep').disabled, null, { timeout: RUN_TIMEOUT_MS, polling: 250 });

    const info = await chartInfo(page);
    assert.equal(info.amdahl.length, 1, `one Amdahl curve (threads): ${JSON.stringify(info.amdahl)}`);
    assert.match(info.amdahl[0].label, /browser · threads — Amdahl f=\d\.\d{3}/);
    assert.ok(info.amdahl[0].f >= 0 && info.amdahl[0].f <= 1);
    const here = `logical CPUs here: ${info.hw}`;
    for (const marks of [info.speedupMarks, info.timeMarks]) assert.deepEqual(marks, [{ x: info.hw, label: here }]);
    assert.equal(info.marksAttr, here);
    assert.ok(info.rows.timeline >= 16, `timeline table has a row per task: ${info.rows.timeline}`);
    assert.equal(info.rows.speedup, 3, 'sequential x1, threads x1, threads x2');
    assert.equal(info.rows.time, 3);
    assert.match(info.note, /browser · threads: Amdahl fit f = /);
    assert.match(info.note, /Marked: logical CPUs here/);

    // An uploaded set from a machine with more logical CPUs gets a marker of its own, named by its source.
    const runs = (await exportedRuns(page)).filter((r) => r.mode === 'threads');
    const file = join(lab.work, 'big-machine.json');
    writeFileSync(file, JSON.stringify({
      schema_version: 1, generator: 'parlab 0.1.0', created: '2026-11-23T08:00:00Z',
      environment: { target: 'native', os: 'Linux', cpu_model: null, logical_cpus: info.hw + 14, compiler: 'GCC 12.2.0', user_agent: null, cross_origin_isolated: null },
      runs,
    }));
    await page.setInputFiles('#upload', file);
    await page.waitForFunction(() => (document.getElementById('speedup-chart').dataset.cpuMarks ?? '').includes('logical CPUs in'), null, { timeout: 30_000 });
    const withUpload = await chartInfo(page);
    assert.equal(withUpload.speedupMarks.length, 2, JSON.stringify(withUpload.speedupMarks));
    assert.equal(withUpload.speedupMarks[1].x, info.hw + 14);
    assert.match(withUpload.speedupMarks[1].label, /^logical CPUs in native \(uploaded: big-machine\.json\).*: \d+$/);
    assert.equal(withUpload.amdahl.length, 2, 'the uploaded threads line is fitted too');

    // Keyboard: Tab reaches a "Data as a table" summary, and it shows a visible focus outline.
    await page.evaluate(() => document.getElementById('speedup-group').focus());
    let reached = null;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el?.matches('.chart-data summary')) return null;
        const s = getComputedStyle(el);
        return { visible: el.matches(':focus-visible'), outline: s.outlineStyle, width: s.outlineWidth };
      });
    }
    assert.ok(reached, 'Tab reaches a chart data summary');
    assert.equal(reached.visible, true);
    assert.notEqual(reached.outline, 'none');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.parentElement.open), true, 'Enter opens the table');

    // Dark mode: the page and the charts re-theme, and text keeps its contrast.
    const light = await pageColours(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    // The page's styles switch at once; the charts re-theme in the page's matchMedia listener, a moment later.
    await page.waitForFunction(([bg, colour]) => getComputedStyle(document.body).backgroundColor !== bg
      && globalThis.Chart.defaults.color !== colour, [light.bodyBg, info.chartColour], { timeout: 10_000 });
    const dark = await pageColours(page);
    const darkInfo = await chartInfo(page);
    assert.notEqual(dark.bodyBg, light.bodyBg);
    assert.notEqual(darkInfo.chartColour, info.chartColour, 'chart text colour follows the theme');
    for (const [name, colours] of [['light', light], ['dark', dark]]) {
      assert.ok(contrast(colours.bodyFg, colours.bodyBg) >= 7, `${name} body text contrast`);
      assert.ok(contrast(colours.caption, colours.panelBg) >= 4.5, `${name} caption contrast ${colours.caption} on ${colours.panelBg}`);
      assert.ok(contrast(colours.summary, colours.panelBg) >= 4.5, `${name} summary contrast ${colours.summary} on ${colours.panelBg}`);
    }
    assert.equal(darkInfo.amdahl.length, 2, 'the re-themed chart keeps its curves');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
