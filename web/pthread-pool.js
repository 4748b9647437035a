// Linked into the pthread build (--post-js, inside Emscripten's module scope): grows the pool of pthread Web Workers
// before a run that needs more threads than it holds.
//
// Emscripten 3.1.6 starts a thread on a pooled worker at once, but a worker it has to create on demand only starts
// once this (the lab) worker's event loop hears that it loaded; a run blocks that loop until its threads finish, so
// such a thread would never start. The lab worker therefore awaits growPthreadPool(n) before running n threads.

/// Resolves, once at least `count` loaded workers wait in the pool, to the pool's size.
Module['growPthreadPool'] = function (count) {
  var loads = [];
  while (PThread.unusedWorkers.length < count) {
    PThread.allocateUnusedWorker();
    var worker = PThread.unusedWorkers[PThread.unusedWorkers.length - 1];
    loads.push(new Promise(function (resolve) { PThread.loadWasmModuleToWorker(worker, resolve); }));
  }
  return Promise.all(loads).then(function () { return PThread.unusedWorkers.length; });
};
