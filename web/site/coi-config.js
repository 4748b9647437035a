// Decides whether coi-serviceworker.js (loaded right after this file) may make the page cross-origin isolated by
// adding COOP/COEP in a service worker, for static hosts that cannot send those headers (docs/hosting.md).
// It registers only when asked: the address has ?coi=1, or the site was built with
// `node web/build-site.mjs --coi-serviceworker` (which turns ALWAYS on in the built copy). ?coi=0 removes it.
// Never inside a frame: a cross-origin iframe cannot be isolated unless its embedding page is.
(() => {
  const ALWAYS = false;
  const asked = new URLSearchParams(window.location.search).get('coi');
  const framed = window.self !== window.top;
  const wanted = !framed && (asked === '1' || (ALWAYS && asked !== '0'));
  window.coi = {
    shouldRegister: () => wanted,
    shouldDeregister: () => asked === '0',
    coepCredentialless: () => false, // require-corp: every file the lab loads is its own
    quiet: true,
  };
})();
