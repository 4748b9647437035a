// Headless Chromium for the browser tests and the bench harness: Debian's binary, the flags this machine needs,
// and filling the lab's form the way a user does.

/// Debian's Chromium (playwright cannot download its own here); CHROMIUM_PATH overrides it.
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/// As root, with no network beyond the package registries: no sandbox, no GPU, no background traffic.
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run',
];

/// Sets a form field the way a user would and fires input + change, whatever the element is.
export async function setField(page, selector, value) {
  const handle = await page.waitForSelector(selector, { state: 'attached', timeout: 10_000 });
  const tag = await handle.evaluate((el) => el.tagName.toLowerCase());
  if (tag === 'select') await handle.selectOption(String(value));
  else await handle.fill(String(value));
  await handle.evaluate((el) => {
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
