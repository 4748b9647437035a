// The counter workload in the workbench, in Chromium and Firefox: the status line and the exported run carry the
// counter, the lost updates and the cost per increment; synchronised threads lose none; a process pool's workers add
// to their own copies, so the parent's counter reads 0; memory shared with processes is refused with a message. Never timed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { describeInBrowsers, newLabPage, runOnce, waitForReady } from './browsers.mjs';

const COUNTER = (sync, shared = 0) => ({ workload: 'counter', params: { count: 4, increments: 200000, sync, shared } });
const MADE = 4 * 200000;
const figuresOf = (status) => {
  const m = /counter (\d+) after (\d+) increments: (\d+) updates lost \(([\d.]+)%\), ([\d.]+) ns per increment/.exec(status);
  return m ? { counter: Number(m[1]), made: Number(m[2]), lost: Number(m[3]), ns: Number(m[5]) } : null;
};

describeInBrowsers('the counter workload in the page', { timeout: 600_000, sitePrefix: 'parlab-counter-' }, (name, env) => {
  let context;
  let page;
  let problems;

  before(async () => {
    context = await env.browser.createBrowserContext();
    ({ page, problems } = await newLabPage(context, env.site.url()));
    await waitForReady(page, problems);
  });

  after(async () => {
    await context?.close().catch(() => {});
  });

  test(`${name}: every sync on threads, and one thread, report the counter, lost updates and the cost per increment`, async () => {
    for (const [sync, mode, workers] of [['none', 'sequential', 1], ['atomic', 'threads', 2], ['mutex', 'threads', 2], ['local', 'threads', 2], ['none', 'threads', 2]]) {
      const status = await runOnce(page, { ...COUNTER(sync), mode, workers });
      assert.match(status, /^Done/, `${sync} ${mode}: ${status}\n  ${problems.join('\n  ')}`);
      const f = figuresOf(status);
      assert.ok(f, `${sync} ${mode}: the counter's figures in "${status}"`);
      assert.equal(f.made, MADE, 'the checksum is the increments made');
      assert.equal(f.counter + f.lost, MADE, 'lost = made - counter');
      assert.ok(f.ns > 0, 'a cost per increment');
      if (sync !== 'none' || mode === 'sequential') assert.equal(f.lost, 0, `${sync} ${mode} loses nothing`);
      env.figures.push(`${name} counter ${sync} ${mode} ×${workers}: ${f.lost} of ${f.made} lost, ${f.ns} ns per increment`);
    }
  });

  test(`${name}: processes add to their own copies; the parent's counter stays 0`, async () => {
    const status = await runOnce(page, { ...COUNTER('atomic'), mode: 'processes', workers: 2 });
    assert.match(status, /^Done/, `${status}\n  ${problems.join('\n  ')}`);
    assert.deepEqual(figuresOf(status) && { counter: figuresOf(status).counter, lost: figuresOf(status).lost }, { counter: 0, lost: MADE }, status);
  });

  test(`${name}: memory shared with processes is refused, naming the parameter`, async () => {
    const status = await runOnce(page, { ...COUNTER('none', 1), mode: 'processes', workers: 2 });
    assert.match(status, /shared/, status);
    assert.match(status, /native program/, status);
    assert.doesNotMatch(status, /^Done/, status);
    assert.deepEqual(problems, []);
  });
});
