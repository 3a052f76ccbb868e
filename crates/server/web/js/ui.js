// Small DOM helpers shared by every view: an element builder, the top bar (language switch,
// sync badge, sign-out), messages.

import { lang, setLang, t } from './i18n.js';
import { syncState } from './sync.js';

/** h('button', {class: 'x', onclick}, 'text', child) → element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'html') el.innerHTML = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** The sync state as a badge: saved on device / waiting for connection / sending / sent. */
export function syncBadge() {
  const el = h('span', { class: 'sync', role: 'status', 'aria-live': 'polite', id: 'sync-badge' });
  const show = (s) => {
    el.dataset.state = s;
    el.textContent = t(`sync_${s}`);
  };
  show(syncState());
  window.addEventListener('sirr:sync', (e) => show(e.detail));
  return el;
}

/** The page frame: top bar with title, language switch, sign-out (and the sync state), then the view. */
export function frame(title, body, { onSignOut, backHref, sync = false } = {}) {
  const other = lang() === 'ar' ? 'en' : 'ar';
  const bar = h('header', { class: 'bar' },
    backHref ? h('a', { class: 'back', href: backHref, 'aria-label': t('back') }, lang() === 'ar' ? '→' : '←') : null,
    h('h1', {}, title),
    h('button', {
      // The button names the other language in that language (its own lang attribute).
      class: 'lang', type: 'button', lang: other, title: t('language'),
      onclick: () => { setLang(other, true); window.dispatchEvent(new Event('hashchange')); },
    }, other === 'ar' ? 'عربي' : 'English'),
    onSignOut ? h('button', { class: 'link', type: 'button', onclick: onSignOut }, t('signOut')) : null,
    // Only shoppers keep anything on the device, so only they see its state.
    sync ? h('div', { class: 'bar-status' }, syncBadge()) : null);
  return [bar, h('main', { id: 'main', tabindex: '-1' }, body)];
}

export function message(text, kind = 'info') {
  return h('p', { class: `msg ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Triggers a download of a Blob (the PDF report, fetched with the bearer token). */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
