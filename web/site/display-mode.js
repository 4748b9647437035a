// Projector mode (large type, high contrast), kept in localStorage. A classic script loaded in <head>, not a
// module: it sets <html data-display> before the body is first painted, so a projected page never flashes small.
(() => {
  const KEY = 'parlab.display.v1';
  const root = document.documentElement;

  const read = () => {
    try {
      return JSON.parse(localStorage.getItem(KEY) ?? 'null')?.projector === true;
    } catch {
      return false; // storage refused (private mode, a sandboxed frame) or a value from elsewhere: the normal page
    }
  };
  const apply = (projector) => {
    if (projector) root.dataset.display = 'projector';
    else delete root.dataset.display;
  };

  apply(read());

  /// The toggle: pressing it switches the mode, stores it, and tells the page (charts retheme on
  /// 'parlab:displaychange', as they do when the system's colour scheme changes).
  const wire = () => {
    const button = document.getElementById('projector-toggle');
    if (!button) return;
    button.setAttribute('aria-pressed', String(root.dataset.display === 'projector'));
    button.addEventListener('click', () => {
      const projector = root.dataset.display !== 'projector';
      apply(projector);
      button.setAttribute('aria-pressed', String(projector));
      try {
        localStorage.setItem(KEY, JSON.stringify({ projector }));
      } catch {
        // not kept past this page: the mode still applies now
      }
      window.dispatchEvent(new CustomEvent('parlab:displaychange', { detail: { projector } }));
    });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire, { once: true });
  else wire();
})();
