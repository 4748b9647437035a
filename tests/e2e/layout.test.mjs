// Small screens in Chromium and Firefox: a phone (390 px wide) and a projector (1280×720 at 150% zoom: 853×480 CSS
// px at device scale 1.5) show the lab and embed pages (the form, and one card), with a run, its tables and charts,
// without horizontal scrolling and with no element wider than the viewport; the first screen has the header's nav on
// it, in projector mode too, and its Workbench link reaches the workbench. PARLAB_SCREENSHOT_DIR keeps screenshots to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';

import { describeInBrowsers, newLabPage, runOnce, waitForReady } from './browsers.mjs';

const SCREENS = [
  { label: 'phone', viewport: { width: 390, height: 844, deviceScaleFactor: 1 } },
  { label: 'projector', viewport: { width: 853, height: 480, deviceScaleFactor: 1.5 } },
];
const shotDir = process.env.PARLAB_SCREENSHOT_DIR;
const SHOT_SECTIONS = ['#lab', '#experiments', '#workbench', '.controls', '.charts', '#two-phase', '.runs', '.upload', '.ipc'];

/// One screen's worth of each section, from its top (a full-page image of a phone is tens of thousands px tall).
async function screenshots(page, prefix, viewport) {
  for (const selector of SHOT_SECTIONS) {
    const top = await page.$eval(selector, (el) => el.getBoundingClientRect().top + window.scrollY).catch(() => null);
    if (top === null) continue;
    const file = `${prefix}-${selector.replace(/[^a-z-]/g, '')}.png`;
    await page.screenshot({ path: join(shotDir, file), clip: { x: 0, y: top, width: viewport.width, height: viewport.height }, captureBeyondViewport: true });
  }
}

/// Elements that reach past the viewport's left or right edge and are not inside a box that scrolls or clips
/// them (a wide table in its scrolling wrapper is fine), plus the page's own scroll width against its width.
function overflowReport() {
  const width = window.innerWidth;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    // Empty boxes, and boxes parked wholly left of the page (the skip link until focused), which no scrolling reaches.
    if (rect.width === 0 || rect.height === 0 || rect.right <= 0) continue;
    if ((rect.right > width + 0.5 || rect.left < -0.5) && !clipped(el)) {
      wide.push(`${describe(el)} spans ${rect.left.toFixed(0)}..${rect.right.toFixed(0)}`);
    }
  }
  return { width, scrollWidth: document.scrollingElement.scrollWidth, wide };
}

describeInBrowsers('small screens in Chromium and Firefox', { timeout: 1_200_000, sitePrefix: 'parlab-layout-' }, (name, env) => {
  before(() => {
    if (shotDir) mkdirSync(shotDir, { recursive: true });
  });

  for (const { label, viewport } of SCREENS) {
    test(`${label} (${viewport.width} CSS px wide): the lab page, with a run, scrolls only downwards`, async () => {
      const { page, problems } = await newLabPage(env.browser, null);
      try {
        await page.setViewport(viewport);
        await page.goto(env.site.url());
        await waitForReady(page, problems);
        const status = await runOnce(page, { workload: 'primes', params: { shape: 'chunked', n: 20000, chunks: 4 }, mode: 'threads', workers: 2 });
        assert.match(status, /^Done/, status);
        await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; }));
        await new Promise((r) => setTimeout(r, 300)); // the charts resize to their boxes
        const report = await page.evaluate(overflowReport);
        if (shotDir) await screenshots(page, `${name}-${label}-index`, viewport);
        env.figures.push(`${name} ${label} index: width ${report.width}, scroll width ${report.scrollWidth}, ${report.wide.length} elements too wide`);
        assert.equal(report.width, viewport.width, 'the viewport is the size asked for');
        assert.deepEqual(report.wide, [], 'no element reaches past the viewport');
        assert.ok(report.scrollWidth <= report.width, `no horizontal scrolling: scroll width ${report.scrollWidth} > ${report.width}`);
      } finally {
        await page.close();
      }
    });

    test(`${label}: the first screen shows the nav, in normal and projector mode, and the Workbench link reaches it`, async () => {
      const { page, problems } = await newLabPage(env.browser, null);
      try {
        await page.setViewport(viewport);
        await page.goto(env.site.url());
        await waitForReady(page, problems);
        for (const mode of ['normal', 'projector']) {
          if (mode === 'projector') await page.click('#projector-toggle');
          await page.evaluate(() => window.scrollTo(0, 0));
          const nav = await page.$$eval('.page-nav a, #projector-toggle', (all) => all.map((el) => {
            const r = el.getBoundingClientRect();
            return { text: el.textContent, onScreen: r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth };
          }));
          assert.ok(nav.length >= 3 && nav.every((n) => n.onScreen), `${mode}: the nav is on the first screen: ${JSON.stringify(nav)}`);
          const report = await page.evaluate(overflowReport);
          if (shotDir) await page.screenshot({ path: join(shotDir, `${name}-${label}-${mode}-first-screen.png`) });
          env.figures.push(`${name} ${label} ${mode} first screen: scroll width ${report.scrollWidth}, ${report.wide.length} elements too wide`);
          assert.deepEqual(report.wide, [], `${mode}: no element reaches past the viewport`);
          assert.ok(report.scrollWidth <= report.width, `${mode}: no horizontal scrolling: scroll width ${report.scrollWidth} > ${report.width}`);
          await page.click('.page-nav a[href="#workbench"]');
          await page.waitForFunction(() => {
            const top = document.getElementById('workbench-heading').getBoundingClientRect().top;
            return top >= 0 && top < innerHeight;
          }, { timeout: 5000, polling: 50 });
        }
      } finally {
        await page.close();
      }
    });

    test(`${label}: the embed page, with a run, scrolls only downwards`, async () => {
      const { page, problems } = await newLabPage(env.browser, null);
      try {
        await page.setViewport(viewport);
        await page.goto(`${env.site.url()}embed.html?workload=primes&shape=inputs&inputs=20000,20000&mode=processes&workers=2`);
        await waitForReady(page, problems);
        await page.click('#run');
        await page.waitForSelector('#embed-results tr.embed-row', { timeout: 60_000 });
        await page.waitForSelector('body[data-running="false"]', { timeout: 60_000 });
        const report = await page.evaluate(overflowReport);
        if (shotDir) await page.screenshot({ path: join(shotDir, `${name}-${label}-embed.png`), fullPage: true });
        env.figures.push(`${name} ${label} embed: width ${report.width}, scroll width ${report.scrollWidth}, ${report.wide.length} elements too wide`);
        assert.deepEqual(report.wide, [], 'no element reaches past the viewport');
        assert.ok(report.scrollWidth <= report.width, `no horizontal scrolling: scroll width ${report.scrollWidth} > ${report.width}`);
      } finally {
        await page.close();
      }
    });

    test(`${label}: one embedded card (not isolated), with its answer and pictures, scrolls only downwards`, async () => {
      const { page, problems } = await newLabPage(env.browser, null);
      try {
        await page.setViewport(viewport);
        await page.goto(`${env.site.url(false)}embed.html?card=amdahl`);
        await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
        await page.click('input[name="predict-amdahl"]');
        await page.click('.card-run');
        await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('.card').dataset.state), { timeout: 240_000, polling: 200 });
        assert.equal(await page.$eval('.card', (c) => c.dataset.state), 'done', problems.join('\n'));
        await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; })); // the lesson and the data tables too
        const report = await page.evaluate(overflowReport);
        if (shotDir) await page.screenshot({ path: join(shotDir, `${name}-${label}-embed-card.png`), fullPage: true });
        env.figures.push(`${name} ${label} embedded card: width ${report.width}, scroll width ${report.scrollWidth}, ${report.wide.length} elements too wide`);
        assert.deepEqual(report.wide, [], 'no element reaches past the viewport');
        assert.ok(report.scrollWidth <= report.width, `no horizontal scrolling: scroll width ${report.scrollWidth} > ${report.width}`);
      } finally {
        await page.close();
      }
    });
  }
});
