// Share and embed: keeps the set-up in the address bar, and "Copy link" / "Copy embed code" (an iframe snippet
// for embed.html). The text is also left in a read-only field, for browsers that refuse the clipboard.

const $ = (id) => document.getElementById(id);
const attr = (text) => String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/// The lab's own address with `query` as its set-up.
export function labLink(query, base = location.href) {
  const url = new URL(base);
  url.search = query;
  url.hash = '';
  return url.href;
}

/// The embed page's address (next to the lab page) with `query` as its set-up.
export function embedLink(query, base = location.href) {
  const url = new URL('embed.html', base);
  url.search = query;
  return url.href;
}

/// An iframe snippet for an instructor's page. allow="cross-origin-isolated" lets the embed use threads when
/// the embedding page is itself cross-origin isolated (docs/hosting.md); elsewhere it is harmless.
export function embedCode(query, title, base = location.href, { width = 720, height = 560 } = {}) {
  return `<iframe src="${attr(embedLink(query, base))}" title="${attr(title)}" width="${width}" height="${height}" loading="lazy" allow="cross-origin-isolated"></iframe>`;
}

/// Replaces the address bar's query with the set-up (no new history entry); the hash (the card open) stays.
export function keepSetupInUrl(query) {
  const href = `${labLink(query)}${location.hash}`;
  if (href !== location.href) history.replaceState(history.state, '', href);
}

/// Puts `text` on the clipboard and says so in `status`; it also stays in the read-only `field`, selected there
/// when the browser refuses the clipboard. `what` names it in the message ("link", "embed code").
export async function offerCopy(field, status, text, what) {
  field.value = text;
  field.hidden = false;
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = `Copied the ${what}.`;
  } catch {
    field.select();
    status.textContent = `The browser did not allow copying: the ${what} is in the field, selected; copy it from there.`;
  }
}

/// Wires the Copy link / Copy embed code buttons; getSetup() returns {query, title} of the form's set-up now.
export function wireShare(getSetup) {
  const field = $('share-text');
  const status = $('share-status');
  const offer = (text, what) => offerCopy(field, status, text, what);
  $('copy-link').addEventListener('click', () => {
    const { query } = getSetup();
    keepSetupInUrl(query);
    offer(labLink(query), 'link');
  });
  $('copy-embed').addEventListener('click', () => {
    const { query, title } = getSetup();
    offer(embedCode(query, title), 'embed code');
  });
}
