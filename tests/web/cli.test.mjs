// scripts/cli.mjs and the scripts that read their flags with it: an unknown flag, a missing value or a value out
// of bounds is named in one line with exit status 2, and --help prints the usage.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { UsageError, readFlags, wholeNumber } from '../../scripts/cli.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OPTIONS = { out: { type: 'string' }, quick: { type: 'boolean', default: false } };

describe('readFlags', () => {
  test('reads the flags, their defaults and --help', () => {
    assert.deepEqual({ ...readFlags(['--out', 'x'], OPTIONS).values }, { out: 'x', quick: false });
    assert.equal(readFlags(['--quick'], OPTIONS).help, false);
    assert.equal(readFlags(['-h'], OPTIONS).help, true);
  });

  test('names the flag at fault', () => {
    const cases = [
      [['--bogus'], /^unknown flag --bogus; the flags are --out, --quick, --help$/],
      [['--out'], /^--out needs a value$/],
      [['--quick=yes'], /^--quick takes no value$/],
      [['stray'], /^unexpected argument stray: only flags are taken$/],
    ];
    for (const [argv, message] of cases) assert.throws(() => readFlags(argv, OPTIONS), (e) => e instanceof UsageError && message.test(e.message), argv.join(' '));
  });

  test('wholeNumber takes whole numbers within the bounds only', () => {
    assert.equal(wholeNumber({ n: ' 7 ' }, 'n', 1, 10), 7);
    for (const text of ['0', '11', '1.5', 'x', '', '1e3']) {
      assert.throws(() => wholeNumber({ n: text }, 'n', 1, 10), (e) => e instanceof UsageError && e.message === `--n must be a whole number from 1 to 10 (not "${text}")`, text);
    }
  });
});

describe('the scripts', () => {
  const runScript = (file, args) => spawnSync(process.execPath, [join(repoRoot, file), ...args], { encoding: 'utf8', timeout: 30_000 });

  for (const [file, name, bad, message] of [
    ['web/build-site.mjs', 'build-site', ['--outdir', 'x'], /^build-site: unknown flag --outdir/],
    ['web/serve.mjs', 'serve', ['--port', '70000'], /^serve: --port must be a whole number from 0 to 65535 \(not "70000"\)/],
    ['scripts/bench.mjs', 'parlab bench', ['--repeats', 'many'], /^parlab bench: --repeats must be a whole number from 1 to 1000 \(not "many"\)/],
    ['scripts/firefox-coldloads.mjs', 'firefox-coldloads', ['--loads'], /^firefox-coldloads: --loads needs a value/],
  ]) {
    test(`${file}: a bad flag exits 2 naming it; --help exits 0 with the usage`, () => {
      const refused = runScript(file, bad);
      assert.equal(refused.status, 2, refused.stderr);
      assert.match(refused.stderr, message);
      assert.match(refused.stderr, /usage|Usage/);
      const help = runScript(file, ['--help']);
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, /usage|Usage/);
      assert.ok(help.stdout.includes(file), `${name}'s usage names ${file}`);
    });
  }
});
