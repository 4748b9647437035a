// A worker the page starts on behalf of the lab worker (a pthread or a process): it runs the script named in its
// query and talks to the lab worker over a MessagePort, as if the lab worker had started it.
// Why: Firefox (153 ESR) can block a worker for good inside `new Worker()` when a worker starts workers of its
// own; the page's main thread starts workers safely, so the lab worker asks the page (bridge.js) for them.
// Protocol: the page posts {port} once; this worker loads the script, then says {type:'port-hello'} on the port, and
// the lab worker posts nothing on its end before that hello arrives. Why after the script: in Firefox (153 ESR) a
// message that reaches the port while importScripts() is loading can fail to deserialize (a 'messageerror' instead
// of the process workers' init with its compiled wasm Module: about 1 run in 300), and one posted on a port that
// has only just been transferred can be lost. Then the script's postMessage goes to the port, and the port's
// messages reach the script's onmessage (or onmessageerror), one at a time and never inside another (deliver()).
/* global importScripts */
'use strict';

(() => {
  const script = new URL(decodeURIComponent(self.location.search.slice(1)), self.location.href);
  if (script.origin !== self.location.origin) throw new Error(`worker-port.js runs scripts of its own site only (not ${script.href})`);
  self.onmessage = (event) => {
    const port = event.data && event.data.port;
    if (!port || typeof port.postMessage !== 'function') throw new Error('worker-port.js expected {port} as its first message');
    self.onmessage = null;
    // A handler may load scripts too (process-worker.js loads parlab_st.js at init), and Firefox dispatches a
    // port's messages while importScripts() is loading: so messages queue here while a script loads or a handler
    // runs, and are handed over afterwards, in order.
    const queue = [];
    let busy = true;
    const deliver = () => {
      if (busy) return;
      busy = true;
      try {
        while (queue.length) {
          const next = queue.shift();
          const handler = next.type === 'messageerror' ? self.onmessageerror : self.onmessage;
          if (typeof handler === 'function') handler(next);
        }
      } finally {
        busy = false;
      }
    };
    // The script's bare postMessage(...) calls resolve to this own property of the global object.
    self.postMessage = (message, transfer) => port.postMessage(message, transfer || []);
    port.onmessage = (e) => {
      queue.push(e);
      deliver();
    };
    port.onmessageerror = (e) => {
      queue.push(e);
      deliver();
    };
    try {
      importScripts(script.href); // sets self.onmessage
    } finally {
      busy = false;
    }
    port.postMessage({ type: 'port-hello' }); // only now: the script's handlers are installed and nothing is loading
    deliver();
  };
})();
