// A page-started process worker's start-up in a stand-in worker scope: worker-port.js says hello only once its script
// has loaded, a message that arrives meanwhile waits for it, and process-worker.js answers what would otherwise leave
// the run waiting (an unreadable message, the Firefox processes-mode stall; a failed instantiation) with an error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const siteDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'site');
const ORIGIN = 'http://127.0.0.1:8000';

/// One end of a MessageChannel that records what the worker posts on it, in `log`.
function fakePort(log) {
  return { onmessage: null, onmessageerror: null, postMessage: (message) => log.push({ posted: message }) };
}

/// A worker scope started as worker-port.js?SCRIPT: importScripts(url) logs the url and runs `load(scope, url)`.
function startWorkerPort(scriptName, load, log) {
  const scope = {
    URL, console, performance, setTimeout, name: '',
    location: { href: `${ORIGIN}/worker-port.js?${scriptName}`, search: `?${scriptName}`, origin: ORIGIN },
  };
  scope.self = scope;
  scope.postMessage = () => log.push({ postedToPage: true });
  scope.importScripts = (...urls) => {
    for (const url of urls) {
      log.push({ imported: url });
      load(scope, url);
    }
  };
  vm.createContext(scope);
  vm.runInContext(readFileSync(join(siteDir, 'worker-port.js'), 'utf8'), scope, { filename: 'worker-port.js' });
  return scope;
}

test('the hello goes out on the port only after the script has loaded and installed its handler', () => {
  const log = [];
  const port = fakePort(log);
  const scope = startWorkerPort('fake-script.js', (s) => {
    log.push({ handlerInstalled: true });
    s.onmessage = (event) => log.push({ delivered: event.data });
  }, log);
  scope.onmessage({ data: { port } });
  const hello = log.findIndex((e) => e.posted?.type === 'port-hello');
  const installed = log.findIndex((e) => e.handlerInstalled);
  assert.ok(installed >= 0 && hello > installed, `hello after the script's handler: ${JSON.stringify(log)}`);
  assert.equal(log.filter((e) => e.posted?.type === 'port-hello').length, 1, 'one hello');
  assert.ok(log.some((e) => e.imported === `${ORIGIN}/fake-script.js`), 'the script named in the query was loaded');
  port.onmessage({ data: { type: 'init' } });
  assert.deepEqual(log.at(-1), { delivered: { type: 'init' } }, 'a later message reaches the script');
});

test('a port message that arrives while the script loads waits for its handler, and order holds', () => {
  const log = [];
  const port = fakePort(log);
  const scope = startWorkerPort('fake-script.js', (s) => {
    port.onmessage({ data: { n: 1 } }); // Firefox dispatches port messages during importScripts()
    port.onmessage({ data: { n: 2 } });
    s.onmessage = (event) => log.push({ delivered: event.data });
  }, log);
  scope.onmessage({ data: { port } });
  port.onmessage({ data: { n: 3 } });
  assert.deepEqual(log.filter((e) => e.delivered).map((e) => e.delivered.n), [1, 2, 3]);
});

test('a script outside the site is refused', () => {
  assert.throws(() => startWorkerPort('https%3A%2F%2Fexample.com%2Fx.js', () => {}, []), /of its own site only/);
});

test('process-worker.js answers a message it cannot read (messageerror) on the port', () => {
  const log = [];
  const port = fakePort(log);
  const processWorker = readFileSync(join(siteDir, 'process-worker.js'), 'utf8');
  const scope = startWorkerPort('process-worker.js', (s, url) => {
    vm.runInContext(processWorker, s, { filename: url });
  }, log);
  scope.onmessage({ data: { port } });
  assert.equal(typeof scope.onmessageerror, 'function', 'process-worker.js listens for unreadable messages');
  port.onmessageerror({ type: 'messageerror', data: null });
  const answers = log.filter((e) => e.posted).map((e) => e.posted);
  assert.equal(answers[0].type, 'port-hello');
  assert.equal(answers.at(-1).type, 'unreadable');
  assert.match(answers.at(-1).message, /could not be read/);
});

test('process-worker.js answers an init whose wasm Module fails to instantiate with an error, not silence', { timeout: 10_000 }, async () => {
  const log = [];
  const port = fakePort(log);
  const processWorker = readFileSync(join(siteDir, 'process-worker.js'), 'utf8');
  const scope = startWorkerPort('process-worker.js', (s, url) => {
    if (url.endsWith('/process-worker.js')) {
      vm.runInContext(processWorker, s, { filename: url });
      return;
    }
    assert.equal(url, `${ORIGIN}/wasm/parlab_st.js`);
    // Emscripten's factory as it behaves with a custom instantiateWasm: it waits for receive() and nothing else.
    s.createParlabST = (options) => {
      options.instantiateWasm({}, () => assert.fail('nothing to receive'));
      return new Promise(() => {});
    };
  }, log);
  scope.onmessage({ data: { port } });
  const answered = new Promise((resolve) => {
    port.postMessage = (message) => resolve(message);
  });
  // Not a WebAssembly.Module: WebAssembly.instantiate rejects, as a failed instantiation in the browser does.
  port.onmessage({ type: 'message', data: { type: 'init', params: {}, pid: 1, wasmModule: { notAModule: true }, receiver: true } });
  const answer = await answered;
  assert.equal(answer.type, 'error');
  assert.match(answer.message, /\S/);
});
