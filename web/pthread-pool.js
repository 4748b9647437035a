// Linked into the pthread build (--post-js, inside Emscripten's module scope): the pool of pthread Web Workers,
// grown by the lab worker.
//
// The build makes no worker before the module resolves (no -sPTHREAD_POOL_SIZE): making 16 of them, each loading
// parlab.js and instantiating the module, held the page's ready by about a second (docs/performance.md, "Page
// ready"). The lab worker grows the pool after ready, a few workers at a time between runs, and before a run that
// needs more threads than are loaded.
//
// Emscripten 3.1.6 starts a thread on a loaded worker at once, but on a worker still loading (or made on demand)
// only once this (the lab) worker's event loop hears that it loaded; a run blocks that loop until its threads
// finish, so such a thread would never start. It also hands out the pool's last worker first, loaded or not. So
// growPthreadPool resolves only once every worker of the pool has loaded, and the lab worker awaits it before a run.

/// How many workers the lab worker keeps warm after ready (the page's workers slider starts at 1..16); a run that
/// needs more grows the pool first, up to the build's max_workers.
Module['pthreadPoolWarm'] = 16;

/// Resolves, once at least `count` workers wait in the pool and every one of them has loaded, to the pool's size;
/// rejects with one line when a worker fails to load (that worker is dropped from the pool). `onLoaded(loaded,
/// size)` is called after each worker loads.
Module['growPthreadPool'] = function (count, onLoaded) {
  while (PThread.unusedWorkers.length < count) {
    PThread.allocateUnusedWorker();
    parlabLoadWorker(PThread.unusedWorkers[PThread.unusedWorkers.length - 1]);
  }
  var pending = PThread.unusedWorkers.filter(function (w) { return !w.loaded; });
  return Promise.all(pending.map(function (w) {
    return w.parlabLoading.then(function () {
      if (onLoaded) onLoaded(Module['getPthreadPoolState']().loaded, PThread.unusedWorkers.length);
    });
  })).then(function () { return PThread.unusedWorkers.length; });
};

/// {loaded, loading}: the pool's idle workers that have loaded the module, and those still loading.
Module['getPthreadPoolState'] = function () {
  var loaded = PThread.unusedWorkers.filter(function (w) { return w.loaded; }).length;
  return { loaded: loaded, loading: PThread.unusedWorkers.length - loaded };
};

function parlabLoadWorker(worker) {
  worker.parlabLoading = new Promise(function (resolve, reject) {
    PThread.loadWasmModuleToWorker(worker, function () { resolve(); });
    // Emscripten's handler rethrows a worker's error, which would end the lab worker: before the worker has loaded,
    // the pool drops it and the grow that waits on it says why instead.
    var emscriptenOnError = worker.onerror;
    worker.onerror = function (e) {
      if (worker.loaded) return emscriptenOnError(e);
      var at = PThread.unusedWorkers.indexOf(worker);
      if (at >= 0) PThread.unusedWorkers.splice(at, 1);
      worker.terminate();
      reject(new Error('a pthread worker failed to start (' + ((e && e.message) || 'is wasm/parlab.worker.js there?') + ')'));
    };
  });
  worker.parlabLoading.catch(function () {});
}
