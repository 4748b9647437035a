// Turns docs/lessons/NN-name.md into HTML for the page (lessons.json, {"NN-name": html}) at site build time.
// A tiny converter for the Markdown subset the lessons use (headings, paragraphs, lists, code, emphasis, links),
// so the site needs no Markdown library; everything is HTML-escaped first, and only http(s) links become links.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/// One line of text with `code`, **bold**, *emphasis* and [links](url), escaped.
export function inline(text) {
  const parts = text.split(/(`[^`]+`)/);
  return parts.map((part) => {
    if (/^`[^`]+`$/.test(part)) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
    return escapeHtml(part)
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>')
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label, url) => (/^https?:\/\//.test(url)
        ? `<a href="${url}" rel="noopener">${label}</a>` : `${label} (<code>${url}</code>)`));
  }).join('');
}

/// Markdown (the lessons' subset) to HTML. The first heading is left out when `dropTitle` (the card shows it).
export function markdownToHtml(markdown, { dropTitle = false } = {}) {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out = [];
  let paragraph = [];
  let list = null; // {tag, items: [text]}
  let titleDropped = !dropTitle;
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^```/.test(line)) {
      flush();
      const code = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]); i++) code.push(lines[i]);
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      if (!titleDropped) {
        titleDropped = true;
        continue;
      }
      const level = Math.min(6, heading[1].length + 2); // lessons sit under the card's h3
      out.push(`<h${level}>${inline(heading[2])}</h${level}>`);
      continue;
    }
    const item = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const tag = /\d/.test(item[1]) ? 'ol' : 'ul';
      if (paragraph.length || (list && list.tag !== tag)) flush();
      if (!list) list = { tag, items: [] };
      list.items.push(item[2]);
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (list && /^\s+\S/.test(line)) list.items[list.items.length - 1] += ` ${line.trim()}`;
    else {
      if (list) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}

/// {"NN-name": html} for every docs/lessons/NN-*.md under root (README.md, the index, is left out).
export function buildLessons(root) {
  const dir = join(root, 'docs', 'lessons');
  if (!existsSync(dir)) return {};
  const lessons = {};
  for (const name of readdirSync(dir).sort()) {
    if (!/^\d\d-.*\.md$/.test(name)) continue;
    lessons[basename(name, '.md')] = markdownToHtml(readFileSync(join(dir, name), 'utf8'), { dropTitle: true });
  }
  return lessons;
}
