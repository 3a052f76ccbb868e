// Small DOM helpers shared by every view: an element builder, the top bar (language switch,
// sync badge, sign-out), messages.

import { saveLanguage } from './api.js';
import { lang, setLang, t } from './i18n.js';
import { status } from './sync.js';

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

/**
 * The shopper's status as a badge, derived from what is actually stored (sync.js `status()`):
 * not saved / saved on this device / waiting to send (n) / sending / sent / needs your attention.
 * Nothing is shown when nothing is on the device.
 */
export function syncBadge() {
  const el = h('span', { class: 'sync', role: 'status', 'aria-live': 'polite', id: 'sync-badge', hidden: true });
  const show = (s) => {
    if (!el.isConnected && el.dataset.state) { window.removeEventListener('sirr:sync', onSync); return; }
    const parts = [];
    if (s.draft === 'unsaved') parts.push(t('draft_unsaved'));
    else if (s.draft === 'saved') parts.push(t('draft_saved'));
    if (s.sending) parts.push(t('sync_sending'));
    else if (s.waiting) parts.push(t('sync_waiting_n', s.waiting));
    if (s.attention) parts.push(t('sync_attention'));
    if (!parts.length && s.sent) parts.push(t('sync_sent'));
    el.dataset.state = s.state;
    el.dataset.draft = s.draft || '';
    el.dataset.waiting = String(s.waiting || 0);
    el.textContent = parts.join(' · ');
    el.hidden = parts.length === 0;
  };
  const onSync = (e) => show(e.detail);
  window.addEventListener('sirr:sync', onSync);
  status().then(show);
  return el;
}

// The top bar's height, for what sticks under it (the editor's toolbar): it wraps to more
// lines on a narrow window or with a long title.
const barHeight = typeof ResizeObserver === 'undefined' ? null
  : new ResizeObserver(([e]) => document.documentElement.style.setProperty('--bar-h', `${Math.ceil(e.target.getBoundingClientRect().height)}px`));

/** The page frame: top bar with title, language switch, sign-out (and the sync state), then the view. */
export function frame(title, body, { onSignOut, backHref, sync = false, wide = false } = {}) {
  const other = lang() === 'ar' ? 'en' : 'ar';
  const bar = h('header', { class: 'bar' },
    backHref ? h('a', { class: 'back', href: backHref, 'aria-label': t('back') }, lang() === 'ar' ? '→' : '←') : null,
    h('h1', {}, title),
    h('button', {
      // The button names the other language in that language (its own lang attribute).
      class: 'lang', type: 'button', lang: other, title: t('language'),
      onclick: () => { setLang(other, true); saveLanguage(other); window.dispatchEvent(new Event('hashchange')); },
    }, other === 'ar' ? 'عربي' : 'English'),
    onSignOut ? h('button', { class: 'link', type: 'button', onclick: onSignOut }, t('signOut')) : null,
    // Only shoppers keep anything on the device, so only they see its state.
    sync ? h('div', { class: 'bar-status' }, syncBadge()) : null);
  barHeight?.disconnect();
  barHeight?.observe(bar);
  return [bar, h('main', { id: 'main', tabindex: '-1', class: wide ? 'wide' : null }, body)];
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

/**
 * A file input whose words are the reader's: the browser's own control says "Choose File / No file
 * chosen" in the browser's language whatever the page's. The input stays (hidden, focusable, with
 * its labels and `files`); a label styled as a button opens it, and the chosen name shows beside.
 */
export function filePicker(input) {
  input.classList.add('visually-hidden');
  const name = h('span', { class: 'file-name', dir: 'auto', 'aria-hidden': 'true' }, t('noFileChosen'));
  const showName = () => { name.textContent = input.files?.length ? [...input.files].map((f) => f.name).join(', ') : t('noFileChosen'); };
  input.addEventListener('change', showName);
  return h('span', { class: 'file-picker' }, input, h('label', { for: input.id, class: 'btn secondary' }, t('chooseFileButton')), name);
}

/** A modal question in the reader's language; resolves true for `yes`, false for `no`. */
export function confirmDialog(text, yes, no) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-text' });
    // Leaving the screen (Back, a link, a typed address) answers "no": a question about a
    // screen no longer shown must not stay over the next one.
    const leave = () => close(false);
    const close = (v) => { window.removeEventListener('hashchange', leave); if (dialog.open) dialog.close(); dialog.remove(); resolve(v); };
    window.addEventListener('hashchange', leave);
    dialog.append(
      h('p', { id: 'confirm-text' }, text),
      h('div', { class: 'toolbar' },
        h('button', { class: 'btn', type: 'button', id: 'confirm-yes', onclick: () => close(true) }, yes),
        h('button', { class: 'btn secondary', type: 'button', id: 'confirm-no', onclick: () => close(false) }, no)));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(false); });
    document.body.append(dialog);
    dialog.showModal();
    // The safe answer has the focus: Enter or Space on an opened question must not destroy anything.
    dialog.querySelector('#confirm-no').focus();
  });
}

/** A photo full screen; closed by its button, Escape or a tap. */
export function photoViewer(url) {
  const dialog = h('dialog', { class: 'viewer', 'aria-label': t('photos') });
  const close = () => { window.removeEventListener('hashchange', close); if (dialog.open) dialog.close(); dialog.remove(); };
  window.addEventListener('hashchange', close);
  dialog.append(
    url ? h('img', { src: url, alt: '' }) : h('p', { class: 'msg' }, t('photoUnavailable')),
    h('button', { class: 'btn', type: 'button', id: 'viewer-close', onclick: close }, t('close')));
  dialog.addEventListener('click', (e) => { if (e.target === dialog) close(); });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

/**
 * Required fields checked by the app in the page's language (the browser's own bubble speaks
 * the browser's): a message under each empty field, the first one focused, and the form's own
 * submit handler never reached. The message goes as soon as the field is filled.
 */
export function checkRequired(form) {
  form.noValidate = true;
  const clear = (el) => {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
    document.getElementById(`${el.id}-err`)?.remove();
  };
  form.addEventListener('input', (e) => { if (e.target.getAttribute?.('aria-invalid') && String(e.target.value).trim()) clear(e.target); });
  form.addEventListener('change', (e) => { if (e.target.getAttribute?.('aria-invalid') && String(e.target.value).trim()) clear(e.target); });
  // Capture: at the form itself this runs before the form's own submit handler.
  form.addEventListener('submit', (e) => {
    let first = null;
    for (const el of form.querySelectorAll('[required]')) {
      if (String(el.value).trim()) { clear(el); continue; }
      if (!document.getElementById(`${el.id}-err`)) {
        el.after(h('p', { class: 'field-error', id: `${el.id}-err` }, t(el.type === 'date' ? 'fieldRequiredDate' : 'fieldRequired')));
      }
      el.setAttribute('aria-invalid', 'true');
      el.setAttribute('aria-describedby', `${el.id}-err`);
      first ??= el;
    }
    if (first) {
      e.preventDefault();
      e.stopImmediatePropagation();
      first.focus();
    }
  }, true);
  return form;
}
