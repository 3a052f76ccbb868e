// Boot and hash routing. Each route renders one view from the JSON API into #app; the user's
// role decides the home screen (shopper: assignments, manager: dashboard, QA: review queue, admin: the organisation).

import { api, ApiError, login, logout, me, OfflineError, signedIn } from './api.js';
import { initialLang, lang, setLang, t } from './i18n.js';
import { flush, setDraftState, startSync } from './sync.js';
import { claimLegacy } from './store.js';
import { refreshAssignments } from './offline.js';
import { checkRequired, confirmDialog, frame, h, message } from './ui.js';
import { assignmentsView, unsentWork, visitView } from './shopper.js';

const app = document.getElementById('app');

// Set when the server ended the session (both tokens refused): who it was and where they were,
// so the sign-in screen can say why it is there and bring them back.
let endedSession = null;

// Set when a reset or invitation link has just set a password: the sign-in screen says so and
// has the account's address filled in.
let passwordSet = null;

// Typed work kept over an ended session: the fields of the screen's forms, with the route and
// the user, in this tab only (sessionStorage); given back once the same person has signed in
// again and is on the same screen, dropped when someone else signs in or on signing out.
const STASH = 'sirr.stash';

function stashForms(who) {
  // A shopper's answers are kept on the device already (IndexedDB drafts).
  if (who?.role === 'shopper') return;
  const fields = {};
  for (const el of app.querySelectorAll('main input, main textarea, main select')) {
    const key = el.id || el.name;
    if (!key || ['password', 'file', 'hidden', 'checkbox', 'radio', 'submit', 'button'].includes(el.type)) continue;
    const changed = el.tagName === 'SELECT' ? [...el.options].some((o) => o.selected !== o.defaultSelected) : el.value !== el.defaultValue;
    if (changed && el.value.trim()) fields[key] = el.value;
  }
  if (Object.keys(fields).length) sessionStorage.setItem(STASH, JSON.stringify({ user: who?.id, route: location.hash, fields }));
}

function restoreForms(who) {
  const saved = JSON.parse(sessionStorage.getItem(STASH) || 'null');
  if (!saved) return;
  if (saved.user !== who?.id) { sessionStorage.removeItem(STASH); return; }
  if (saved.route !== location.hash) return;
  sessionStorage.removeItem(STASH);
  let restored = 0;
  for (const [key, value] of Object.entries(saved.fields)) {
    const el = document.getElementById(key) || app.querySelector(`main [name="${CSS.escape(key)}"]`);
    if (!el || !('value' in el)) continue;
    el.value = value;
    // The view's own listeners learn the value (QA's item comments are kept on input). No
    // `change`: a restored period or branch select must not navigate.
    el.dispatchEvent(new Event('input', { bubbles: true }));
    // A field inside a closed disclosure, or a comment box behind its button, shows again.
    for (let d = el.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
    if (el.hidden) {
      el.hidden = false;
      app.querySelector(`[aria-controls="${CSS.escape(el.id)}"]`)?.setAttribute('aria-expanded', 'true');
    }
    restored += 1;
  }
  if (restored) document.getElementById('main')?.prepend(h('p', { class: 'msg ok', role: 'status', id: 'form-restored' }, t('formRestored')));
}

function loginView() {
  const ended = endedSession;
  const done = passwordSet;
  passwordSet = null;
  const err = h('div', { 'aria-live': 'assertive' }, ended ? message(t('sessionEnded')) : null);
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true, dir: 'ltr', maxlength: 254, value: ended?.email || done?.email || '' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', {
    class: 'login',
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      try {
        const who = await login(email.value.trim(), password.value);
        endedSession = null;
        // What someone else typed is never shown to this person.
        if (ended?.id !== who.id) sessionStorage.removeItem(STASH);
        // The language saved on the server (SPEC §10.31) follows the person to every device: a
        // new phone signs in in the browser's language and then switches to theirs.
        if ((who.language === 'ar' || who.language === 'en') && who.language !== lang()) setLang(who.language, true);
        if (who.role === 'shopper') await shopperOnline(who);
        // The same person after an ended session goes back to the screen they were on.
        if (ended?.back && ended.id === who.id && ended.back !== location.hash) { location.hash = ended.back; return; }
        // Setting the hash routes by its hashchange; an unchanged hash needs a direct call.
        if (location.hash === '#/') route(); else location.hash = '#/';
      } catch (x) {
        const text = x instanceof OfflineError ? t('offlineLogin') : x instanceof ApiError && x.status === 429 ? t('throttled') : t('wrongLogin');
        err.replaceChildren(message(text, 'error'));
      }
    },
  },
  h('label', { for: 'email' }, t('email')), email,
  h('label', { for: 'password' }, t('password')), password,
  err,
  h('button', { class: 'btn big', type: 'submit' }, t('signIn')));
  checkRequired(form);
  return frame(t('app'), [
    done ? h('p', { class: 'msg ok', role: 'status', id: 'password-set' }, t('passwordResetDone')) : null,
    form,
    h('p', { class: 'login-more' }, h('a', { href: '#/forgot', id: 'forgot' }, t('forgotPassword')))]);
}

// ---- password reset by e-mail link (no sign-in) -----------------------------------------------

/** A password field with its label, hint and a place for its problem (`data-path`). */
function passwordField(id, label, path, hint, attrs = {}) {
  const input = h('input', { id, name: id, type: 'password', autocomplete: 'new-password', required: true, maxlength: 1024, 'data-path': path, ...attrs });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return [h('label', { for: id }, label), input, hintEl];
}

/** Shows an API refusal: each detail under its field (by `data-path`), the rest at `status`. */
function showRefusal(form, status, x) {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  if (x instanceof OfflineError) { status.replaceChildren(message(t('offlineAction'), 'error')); return; }
  if (!(x instanceof ApiError)) { status.replaceChildren(message(t('errorRetry'), 'error')); return; }
  const loose = [];
  for (const d of x.details) {
    const el = form.querySelector(`[data-path="${CSS.escape(d.path)}"]`);
    if (!el) { loose.push(d.problem); continue; }
    const id = `${el.id}-err`;
    el.after(h('p', { class: 'field-error', id }, d.problem));
    el.setAttribute('aria-invalid', 'true');
    el.setAttribute('aria-describedby', [el.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
  }
  const text = loose.length ? loose.join(' ') : x.details.length ? null : x.status === 429 ? t('throttled') : x.message;
  // (replaceChildren(null) would write "null".)
  status.replaceChildren(...(text ? [message(text, 'error')] : []));
  (form.querySelector('[aria-invalid]') || status).focus?.();
}

function forgotView() {
  const status = h('div', { class: 'form-status', tabindex: '-1', 'aria-live': 'assertive' });
  const email = h('input', { id: 'forgot-email', name: 'email', type: 'email', autocomplete: 'username', required: true, dir: 'ltr', maxlength: 254, 'data-path': '/email' });
  const button = h('button', { class: 'btn big', type: 'submit', id: 'send-link' }, t('sendLink'));
  const form = h('form', {
    class: 'login', id: 'forgot-form',
    onsubmit: async (e) => {
      e.preventDefault();
      button.disabled = true;
      try {
        await api('POST', '/api/v1/password-reset', { body: { email: email.value.trim(), lang: lang() }, auth: false });
        // The same words whether or not the address has an account (the server answers alike).
        form.replaceWith(h('p', { class: 'msg ok', role: 'status', id: 'reset-sent' }, t('resetSent')));
      } catch (x) {
        showRefusal(form, status, x);
      } finally {
        button.disabled = false;
      }
    },
  },
  h('p', { class: 'hint', id: 'forgot-hint' }, t('forgotHint')),
  h('label', { for: 'forgot-email' }, t('email')), email,
  status, button);
  email.setAttribute('aria-describedby', 'forgot-hint');
  checkRequired(form);
  return frame(t('forgotTitle'), [form, h('p', { class: 'login-more' }, h('a', { href: '#/login', id: 'back-to-sign-in' }, t('backToSignIn')))]);
}

function resetView(token) {
  const status = h('div', { class: 'form-status', tabindex: '-1', 'aria-live': 'assertive' });
  const button = h('button', { class: 'btn big', type: 'submit', id: 'set-password' }, t('saveNewPassword'));
  const form = h('form', {
    class: 'login', id: 'reset-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const fresh = form.querySelector('#reset-new').value;
      if (fresh !== form.querySelector('#reset-repeat').value) {
        showRefusal(form, status, new ApiError(422, { error: { message: t('notValid'), details: [{ path: '/repeat', problem: t('passwordsDiffer') }] } }));
        return;
      }
      button.disabled = true;
      try {
        const done = await api('POST', '/api/v1/password-reset/confirm', { body: { token, new_password: fresh }, auth: false });
        // The link leaves the address bar and the history: it has done its work.
        if (signedIn() && me()?.email !== done.email) {
          // Someone else is signed in on this browser: they stay, and hear that it worked.
          form.replaceWith(h('p', { class: 'msg ok', role: 'status', id: 'password-set' }, t('passwordResetDone')));
          history.replaceState(null, '', '#/');
          document.body.dataset.route = '#/';
          return;
        }
        // The account's sessions have ended, this browser's too.
        if (signedIn()) await logout();
        passwordSet = { email: done.email };
        location.replace('#/login');
      } catch (x) {
        showRefusal(form, status, x);
        // A dead link: the way to a new one.
        if (x instanceof ApiError && x.details.some((d) => d.path === '/token')) {
          status.append(h('p', {}, h('a', { href: '#/forgot', id: 'ask-again' }, t('askNewLink'))));
        }
      } finally {
        button.disabled = false;
      }
    },
  },
  ...passwordField('reset-new', t('newPassword'), '/new_password', t('resetPolicy'), { minlength: 10 }),
  ...passwordField('reset-repeat', t('repeatPassword'), '/repeat'),
  status, button);
  checkRequired(form);
  // Is the link still good? Said at once, before anyone types a password for nothing.
  api('POST', '/api/v1/password-reset/check', { body: { token }, auth: false }).then((link) => {
    // An invitation: a first password, not a reset.
    if (link?.purpose !== 'invitation') return;
    const title = document.querySelector('.bar h1');
    if (title) title.textContent = t('chooseFirstPassword');
    const hint = form.querySelector('#reset-new-hint');
    if (hint) hint.textContent = t('firstPasswordPolicy');
  }).catch((x) => {
    if (!(x instanceof ApiError) || !x.details.some((d) => d.path === '/token')) return;
    form.querySelectorAll('label, input, .hint, button').forEach((e) => { e.hidden = true; });
    showRefusal(form, status, x);
    status.append(h('p', {}, h('a', { href: '#/forgot', id: 'ask-again' }, t('askNewLink'))));
  });
  return frame(t('setNewPassword'), [form, h('p', { class: 'login-more' }, h('a', { href: '#/login', id: 'back-to-sign-in' }, t('backToSignIn')))]);
}

/** The screens anyone may open, signed in or not. */
function publicView(hash) {
  if (hash === '#/forgot') return forgotView();
  const m = /^#\/reset\/([0-9a-fA-F]{1,128})$/.exec(hash);
  if (m) return resetView(m[1]);
  if (/^#\/reset\//.test(hash)) return resetView('-');
  return null;
}

// A shopper's phone, online: claim work left by an older app version, send what waits, and make
// every open assignment usable offline.
async function shopperOnline(who) {
  await claimLegacy(who.id);
  flush({ now: true });
  refreshAssignments().catch(() => {});
}

const signOut = async () => {
  // Unsent work stays on the phone for its author (SPEC §10.29); say so before signing out.
  const work = me()?.role === 'shopper' ? await unsentWork() : { queued: 0, drafts: 0 };
  const warning = [work.queued ? t('signOutUnsent', work.queued) : '', work.drafts ? t('signOutDrafts', work.drafts) : ''].filter(Boolean).join(' ');
  if (warning && !(await confirmDialog(`${warning} ${t('signOutQuestion')}`, t('signOutAnyway'), t('staySignedIn')))) return;
  setDraftState(null);
  sessionStorage.removeItem(STASH);
  await logout();
  // Cached API answers belong to the user who signed out.
  if (window.caches) await caches.delete('sirr-api');
  location.hash = '#/login';
  route();
};

function homeFor(user) {
  if (user.role === 'shopper') return '#/assignments';
  // A regional manager starts at the league of their region; a branch manager at the branch.
  if (user.role === 'manager') return (user.scopes || []).some((x) => x.kind === 'region') ? '#/league' : '#/dashboard';
  // An administrator starts where the organisation is run.
  if (user.role === 'admin') return '#/admin/org';
  return '#/qa/reviews';
}

const ROUTES = [
  [/^#\/assignments$/, async () => [t('myAssignments'), await assignmentsView()]],
  [/^#\/visit\/([^/]+)\/([^/?]+)/, async (m) => [t('visit'), await visitView(m[1], m[2]), '#/assignments']],
  [/^#\/dashboard(?:\/([^/?]+))?/, async (m) => { const v = await import('./manager.js'); return [t('dashboard'), await v.dashboardView(m[1])]; }],
  [/^#\/league(?:\?|$)/, async () => { const v = await import('./manager.js'); return v.leagueView(); }],
  [/^#\/team\/([^/?]+)/, async (m) => { const v = await import('./manager.js'); return v.teamView(m[1]); }],
  [/^#\/visit-report\/([^/?]+)/, async (m) => { const v = await import('./manager.js'); return v.visitReportView(m[1]); }],
  [/^#\/qa\/([a-z]+)(?:\/([^/?]+))?/, async (m) => { const v = await import('./qa.js'); return v.qaView(m[1], m[2]); }],
  [/^#\/admin\/([a-z]+)(?:\/([^/?]+))?/, async (m) => { const v = await import('./admin.js'); return v.adminView(m[1], m[2]); }],
  [/^#\/account$/, async () => { const v = await import('./admin.js'); return v.accountView(); }],
];

let seq = 0;
async function route() {
  const mine = ++seq;
  const hash = location.hash || '#/';
  const open = publicView(hash);
  if (open) {
    app.replaceChildren(...open);
    // The token stays out of the marker the tests (and any observer of the DOM) read.
    document.body.dataset.route = hash.startsWith('#/reset/') ? '#/reset' : hash;
    document.title = `${open[0].querySelector('h1')?.textContent} · ${t('app')}`;
    document.getElementById('main')?.focus({ preventScroll: true });
    return;
  }
  if (!signedIn()) {
    app.replaceChildren(...loginView());
    document.body.dataset.route = '#/login';
    return;
  }
  const user = me();
  if (hash === '#/' || hash === '#/login') {
    location.replace(homeFor(user));
    return;
  }
  for (const [re, view] of ROUTES) {
    const m = re.exec(hash);
    if (!m) continue;
    // Only the visit screen has a draft on it; it says so itself.
    setDraftState(null);
    busy(true);
    let title; let body; let back;
    try {
      [title, body, back] = await view(m);
    } catch (e) {
      console.error(e);
      // A way forward: try the same screen again (the server may be back), and the home screen.
      [title, body] = [t('error'), [message(e instanceof OfflineError ? t('offlineScreen') : t('errorRetry'), 'error'),
        h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'button', id: 'retry-screen', onclick: () => window.dispatchEvent(new Event('hashchange')) }, t('tryAgain')))]];
    }
    if (mine !== seq) return;
    busy(false);
    app.replaceChildren(...frame(title, body, { onSignOut: signOut, backHref: back, sync: user.role === 'shopper', wide: user.role !== 'shopper' }));
    // Every role reaches its own account (the password) from the bar.
    if (hash !== '#/account') app.querySelector('.bar h1')?.after(h('a', { class: 'account-link', href: '#/account' }, t('myAccount')));
    restoreForms(user);
    document.title = `${title} · ${t('app')}`;
    // Which route is on the screen (the browser tests wait for it after a navigation).
    // (A view may have completed the address, e.g. with the default period, without a new entry.)
    document.body.dataset.route = location.hash;
    focusTarget();
    return;
  }
  location.replace(homeFor(user));
}

// While the next screen loads, the one on view says so and dims: a switched period never shows
// the old numbers as if they were the new ones.
function busy(on) {
  const main = document.getElementById('main');
  if (!main) return;
  if (on) {
    main.setAttribute('aria-busy', 'true');
    if (!document.getElementById('loading')) {
      main.prepend(h('p', { id: 'loading', class: 'msg loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('loading')));
    }
  } else {
    main.removeAttribute('aria-busy');
    document.getElementById('loading')?.remove();
  }
}

// After navigation, put the keyboard focus where the reader continues: a linked item, else the page.
function focusTarget() {
  const item = new URLSearchParams(location.hash.split('?')[1] || '').get('item');
  // A shopper's item card (`item-<key>`), else a read-only card marked `data-target-item`.
  const el = item && (document.getElementById(`item-${item}`) || document.querySelector(`[data-target-item="${CSS.escape(item)}"]`));
  if (el) {
    el.scrollIntoView({ block: 'center' });
    (el.dataset.targetItem ? el : el.querySelector('input, textarea, button'))?.focus({ preventScroll: true });
  } else {
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }
}

setLang(initialLang());
window.addEventListener('hashchange', route);
window.addEventListener('sirr:signed-out', () => {
  const who = me();
  if (location.hash !== '#/login') {
    endedSession = { id: who?.id, email: who?.email, back: location.hash };
    stashForms(who);
  }
  location.hash = '#/login';
  route();
});
startSync();
window.addEventListener('online', () => { if (signedIn() && me()?.role === 'shopper') shopperOnline(me()); });
if (signedIn() && me()?.role === 'shopper') claimLegacy(me().id).then(() => flush()).catch((e) => console.warn(e));
// The worker caches the shell for offline use once the first screen is up: on a slow network its
// downloads would otherwise compete with the screen's own.
// The first route runs once this script has finished evaluating: in the bundle a lazily loaded
// view (`import('./manager.js')`) is a module defined after this one, so a reload on a manager or
// QA screen would otherwise reach it before it exists.
Promise.resolve().then(route).finally(() => {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e) => console.warn('service worker', e));
});
