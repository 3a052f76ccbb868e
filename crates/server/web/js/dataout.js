// Getting data out of sirr (issue 18): on the account screen, e-mail notifications on or off and
// personal access tokens for Excel and Power BI (SPEC §10.34); export downloads on the managers'
// screens and an Exports panel for QA and admins (§10.33); the admins' webhooks with their
// delivery logs (§10.36). Everything goes through the JSON API; refusals are the server's words,
// in the reader's language.

import { api, ApiError, get, me, OfflineError } from './api.js';
import { dateTime, lang, t, tx } from './i18n.js';
import { confirmDialog, h, message, saveBlob } from './ui.js';

const enc = encodeURIComponent;

/** A month (`YYYY-MM`) by name in the reader's language, as the score screens write it. */
const monthName = (p) => new Intl.DateTimeFormat(lang() === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB', { month: 'long', year: 'numeric' })
  .format(new Date(`${p}-15T12:00:00Z`));

/** Why a request failed, in the reader's language (never the browser's own words). */
function why(x) {
  if (x instanceof OfflineError) return t('offlineAction');
  if (x instanceof ApiError && x.body?.error) {
    const details = (x.details || []).map((d) => d.problem).filter(Boolean);
    return [x.message, ...details].join(' — ');
  }
  return t('errorRetry');
}

/** A button that runs `act`, disabled meanwhile; its outcome is written to `status`. */
function busy(button, status, act) {
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await act();
    } catch (x) {
      status.replaceChildren(message(why(x), 'error'));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  return button;
}

// ---- account: e-mail notifications -------------------------------------------------------------

/** The letters each role receives (docs/api.md, E-mail). */
const LETTERS = { shopper: 'lettersShopper', qa: 'lettersQa', manager: 'lettersManager', admin: 'lettersAdmin' };

/** The switch for notification e-mail, with what it covers for this role. */
export async function emailSection() {
  const who = await get('/api/v1/me');
  const status = h('div', { class: 'form-status', 'aria-live': 'polite', id: 'email-status' });
  const box = h('input', { type: 'checkbox', id: 'email-notifications', checked: who.email_notifications ? true : null, 'aria-describedby': 'email-letters' });
  box.addEventListener('change', async () => {
    const on = box.checked;
    box.disabled = true;
    try {
      const saved = await api('PATCH', '/api/v1/me', { body: { email_notifications: on } });
      box.checked = !!saved?.email_notifications;
      status.replaceChildren(message(t(box.checked ? 'emailOnSaved' : 'emailOffSaved'), 'ok'));
    } catch (x) {
      box.checked = !on;
      status.replaceChildren(message(why(x), 'error'));
    } finally {
      box.disabled = false;
    }
  });
  return h('section', { class: 'admin-section', id: 'email', 'aria-labelledby': 'email-h' },
    h('h2', { id: 'email-h' }, t('emailNotifications')),
    h('label', { class: 'opt', for: 'email-notifications' }, box, h('span', {}, t('emailNotificationsOn'))),
    h('p', { class: 'hint', id: 'email-letters' }, t(LETTERS[who.role] || 'lettersAdmin')),
    status);
}

// ---- account: personal access tokens -----------------------------------------------------------

/** The caller's tokens: make one (its secret shown once, with how to use it), list, revoke. */
export async function tokensSection() {
  const section = h('section', { class: 'admin-section', id: 'tokens', 'aria-labelledby': 'tokens-h' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite', tabindex: '-1', id: 'token-status' });
  const fresh = h('div', { id: 'token-new' });
  const list = h('div', { id: 'token-list' });
  const feed = `${location.origin}/odata/v4/`;

  const draw = async () => {
    const tokens = await get('/api/v1/me/tokens');
    const live = tokens.filter((x) => !x.revoked_at);
    list.replaceChildren(live.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'tokens-table' },
      h('thead', {}, h('tr', {}, [t('name'), t('createdAt'), t('actionsCol')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, live.map((tk) => h('tr', { 'data-token': tk.id },
        h('td', {}, h('bdi', {}, tk.name)),
        h('td', {}, dateTime(tk.created_at)),
        h('td', {}, busy(h('button', { class: 'btn danger revoke', type: 'button', 'aria-label': t('revokeToken', tk.name) }, t('revoke')), status, async () => {
          if (!(await confirmDialog(t('revokeTokenQ', tk.name), t('revoke'), t('cancelAction')))) return;
          await api('DELETE', `/api/v1/me/tokens/${enc(tk.id)}`);
          fresh.replaceChildren();
          status.replaceChildren(message(t('tokenRevoked', tk.name), 'ok'));
          await draw();
        })))))))
      : h('p', { class: 'meta', id: 'no-tokens' }, t('noTokens')));
  };

  const name = h('input', { type: 'text', id: 'token-name', maxlength: 200, autocomplete: 'off', required: true, dir: 'auto', 'aria-describedby': 'token-name-hint' });
  const form = h('form', { class: 'admin-form', id: 'token-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'token-name' }, t('tokenName')), name, h('p', { class: 'hint', id: 'token-name-hint' }, t('tokenNameHint'))),
    h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'submit', id: 'token-create' }, t('tokenCreate'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = form.querySelector('button[type=submit]');
    if (!name.value.trim()) { status.replaceChildren(message(t('tokenNameMissing'), 'error')); name.focus(); return; }
    button.disabled = true;
    try {
      const made = await api('POST', '/api/v1/me/tokens', { body: { name: name.value.trim() } });
      name.value = '';
      status.replaceChildren();
      fresh.replaceChildren(shownOnce(made, feed));
      fresh.querySelector('#token-value')?.focus();
      await draw();
    } catch (x) {
      status.replaceChildren(message(why(x), 'error'));
      status.focus();
    } finally {
      button.disabled = false;
    }
  });
  await draw();
  section.append(
    h('h2', { id: 'tokens-h' }, t('tokensTitle')),
    h('p', {}, t('tokensIntro')),
    status, fresh, form,
    h('h3', {}, t('yourTokens')), list);
  return section;
}

/** A new token's secret, this once, with a copy button and how to sign in with it. */
function shownOnce(made, feed) {
  const value = h('input', { type: 'text', id: 'token-value', readonly: true, value: made.token, dir: 'ltr', spellcheck: 'false', 'aria-describedby': 'token-once' });
  const copied = h('span', { class: 'meta', 'aria-live': 'polite', id: 'token-copied' });
  const copy = h('button', { class: 'btn secondary', type: 'button', id: 'token-copy' }, t('copy'));
  copy.addEventListener('click', async () => {
    value.select();
    try { await navigator.clipboard.writeText(made.token); } catch { document.execCommand?.('copy'); }
    copied.textContent = t('copied');
  });
  return h('div', { class: 'panel token-once', 'data-token': made.id },
    h('div', { class: 'field' }, h('label', { for: 'token-value' }, t('tokenValue', made.name)), value),
    h('div', { class: 'toolbar' }, copy, copied),
    h('p', { class: 'msg info', id: 'token-once' }, t('tokenOnce')),
    h('p', {}, t('tokenHowTo')),
    h('dl', { class: 'facts' },
      h('dt', {}, t('odataAddress')), h('dd', {}, h('bdi', { dir: 'ltr', id: 'odata-url' }, feed)),
      h('dt', {}, t('userNameBasic')), h('dd', {}, h('bdi', { dir: 'ltr' }, me()?.email || '')),
      h('dt', {}, t('passwordBasic')), h('dd', {}, t('thisToken'))));
}

// ---- exports -------------------------------------------------------------------------------------

/** Downloads one export file with the signed-in user's token. */
async function download(file, query, name, status, button) {
  if (button.disabled) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  status.replaceChildren(h('p', { class: 'msg loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('exportPreparing')));
  try {
    const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v));
    q.set('lang', lang() === 'ar' ? 'ar' : 'en');
    const blob = await api('GET', `/api/v1/exports/${file}?${q}`, { blob: true });
    saveBlob(blob, name);
    status.replaceChildren(message(t('exportReady', name), 'ok'));
  } catch (x) {
    status.replaceChildren(message(`${t('exportFailed')} ${why(x)}`, 'error'));
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

const FILES = [
  ['visits.xlsx', 'exportVisitsXlsx'], ['visits.csv', 'exportVisitsCsv'], ['visits.jsonl', 'exportVisitsJsonl'],
  ['answers.csv', 'exportAnswersCsv'], ['scores.xlsx', 'exportScoresXlsx'], ['scores.csv', 'exportScoresCsv'],
  ['disputes.xlsx', 'exportDisputesXlsx'], ['disputes.csv', 'exportDisputesCsv'],
  ['action_plans.xlsx', 'exportActionsXlsx'], ['action_plans.csv', 'exportActionsCsv'],
];
const fileId = (file) => `export-${file.replace('.', '-').replace('_', '-')}`;
const fileName = (file, parts) => {
  const [base, ext] = file.split('.');
  return `sirr-${[base, ...parts.filter(Boolean)].join('-')}.${ext}`;
};

/**
 * The managers' downloads for the screen's period: visits and scores of every branch the
 * manager may read (the server scopes them).
 */
export function managerExports(period) {
  const status = h('div', { 'aria-live': 'polite', id: 'export-status' });
  const files = ['visits.xlsx', 'visits.csv', 'scores.xlsx', 'scores.csv', 'disputes.xlsx', 'action_plans.xlsx'];
  return h('section', { class: 'panel', id: 'exports' },
    h('h2', {}, t('exportsTitle')),
    h('p', { class: 'meta' }, t('exportsManagerNote')),
    h('div', { class: 'toolbar wrap' }, files.map((f) => {
      const b = h('button', { class: 'btn secondary', type: 'button', id: fileId(f) }, t(FILES.find(([x]) => x === f)[1]));
      b.addEventListener('click', () => download(f, { period }, fileName(f, [period]), status, b));
      return b;
    })),
    status);
}

/** QA's and admins' Exports panel: every file, with period, region, campaign and checklist filters. */
export async function exportsView() {
  const [regions, campaigns, checklists, org] = await Promise.all([
    get('/api/v1/regions').catch(() => []),
    get('/api/v1/campaigns').catch(() => []),
    get('/api/v1/checklists').catch(() => []),
    get('/api/v1/scores/organisation').catch(() => null),
  ]);
  const months = [...new Set((org?.trend || []).map((p) => p.period))].sort().reverse();
  const select = (id, label, options, hint) => {
    const el = h('select', { id, 'aria-describedby': hint ? `${id}-hint` : null }, h('option', { value: '' }, t('exportAll')), options);
    return [el, h('div', { class: 'field' }, h('label', { for: id }, label), el, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null)];
  };
  const [period, periodField] = select('export-period', t('period'), months.map((m) => h('option', { value: m }, monthName(m))), t('exportPeriodHint'));
  const [region, regionField] = select('export-region', t('region'), regions.map((r) => h('option', { value: r.id }, `${r.code} · ${tx(r.names)}`)));
  const [campaign, campaignField] = select('export-campaign', t('campaign'), campaigns.map((c) => h('option', { value: c.id }, c.name)), t('exportVisitsOnly'));
  const [checklist, checklistField] = select('export-checklist', t('checklist'), checklists.map((c) => h('option', { value: c.key }, `${tx(c.title) || c.key} (${c.key})`)), t('exportVisitsOnly'));
  const status = h('div', { 'aria-live': 'polite', id: 'export-status' });
  const buttons = FILES.map(([f, label]) => {
    const b = h('button', { class: f.startsWith('scores') ? 'btn secondary' : 'btn', type: 'button', id: fileId(f) }, t(label));
    b.addEventListener('click', () => {
      // Campaign and checklist filter visits and answers (disputes: the checklist only).
      const visits = f.startsWith('visits') || f.startsWith('answers');
      const byChecklist = visits || f.startsWith('disputes');
      const query = { period: period.value, region_id: region.value, campaign_id: visits ? campaign.value : '', checklist: byChecklist ? checklist.value : '' };
      const r = regions.find((x) => x.id === region.value);
      download(f, query, fileName(f, [period.value, r?.code, byChecklist ? checklist.value : '']), status, b);
    });
    return b;
  });
  return [h('section', { class: 'panel', id: 'exports' },
    h('h2', {}, t('exportsTitle')),
    h('p', {}, t('exportsIntro')),
    h('div', { class: 'filters' }, periodField, regionField, campaignField, checklistField),
    h('h3', {}, t('exportVisitsHead')),
    h('div', { class: 'toolbar wrap' }, buttons.slice(0, 4)),
    h('h3', {}, t('exportScoresHead')),
    h('div', { class: 'toolbar wrap' }, buttons.slice(4, 6)),
    h('h3', {}, t('exportFollowupHead')),
    h('div', { class: 'toolbar wrap' }, buttons.slice(6)),
    status)];
}

// ---- webhooks (admins) -------------------------------------------------------------------------

export const EVENT_TYPES = ['assignment.offered', 'visit.submitted', 'visit.approved', 'visit.returned', 'visit.rejected',
  'dispute.filed', 'dispute.resolved', 'scores.updated', 'action_plan.due'];

/** A `whsec_` secret of 32 random bytes, made in the browser. */
export function newSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** The webhooks: each with its events and delivery log link; register one; delete one. */
export async function webhooksView() {
  const hooks = await get('/api/v1/webhooks');
  const status = h('div', { class: 'form-status', 'aria-live': 'polite', tabindex: '-1', id: 'webhook-status' });
  const reload = () => window.dispatchEvent(new Event('hashchange'));
  const list = hooks.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'webhooks' },
    h('thead', {}, h('tr', {}, [t('webhookUrl'), t('webhookEvents'), t('createdAt'), t('secret'), t('actionsCol')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, hooks.map((w) => h('tr', { 'data-webhook': w.id },
      h('td', {}, h('a', { href: `#/admin/webhook/${w.id}` }, h('bdi', { dir: 'ltr' }, w.url))),
      h('td', {}, h('bdi', { dir: 'ltr' }, w.events.join(', '))),
      h('td', {}, dateTime(w.created_at)),
      h('td', {}, h('bdi', { dir: 'ltr' }, w.secret)),
      h('td', {}, h('div', { class: 'toolbar' },
        h('a', { class: 'btn secondary', href: `#/admin/webhook/${w.id}`, 'aria-label': t('deliveriesOf', w.url) }, t('deliveries')),
        busy(h('button', { class: 'btn danger', type: 'button', 'aria-label': t('deleteWebhookOf', w.url) }, t('delete')), status, async () => {
          if (!(await confirmDialog(t('deleteWebhookQ', w.url), t('delete'), t('cancelAction')))) return;
          await api('DELETE', `/api/v1/webhooks/${enc(w.id)}`);
          reload();
        }))))))))
    : h('p', { class: 'meta', id: 'no-webhooks' }, t('noWebhooks'));
  return [status, h('section', { class: 'admin-section', 'aria-labelledby': 'webhooks-h' }, h('h2', { id: 'webhooks-h' }, t('webhooks')), h('p', {}, t('webhooksIntro')), list),
    webhookForm(status)];
}

function webhookForm(status) {
  const url = h('input', { type: 'url', id: 'webhook-url', dir: 'ltr', maxlength: 2000, required: true, autocomplete: 'off', spellcheck: 'false', 'data-path': '/url', placeholder: 'https://' });
  const secret = h('input', { type: 'text', id: 'webhook-secret', dir: 'ltr', maxlength: 200, required: true, autocomplete: 'off', spellcheck: 'false', 'data-path': '/secret', 'aria-describedby': 'webhook-secret-hint' });
  const secretNote = h('p', { class: 'msg info', id: 'secret-note', hidden: true }, t('secretShownOnce'));
  const generate = h('button', { class: 'btn secondary', type: 'button', id: 'webhook-generate' }, t('generateSecret'));
  generate.addEventListener('click', () => { secret.value = newSecret(); secretNote.hidden = false; secret.focus(); secret.select(); });
  const events = h('fieldset', { class: 'events', 'data-path': '/events', id: 'webhook-events' }, h('legend', {}, t('webhookEvents')),
    EVENT_TYPES.map((e) => h('label', { class: 'opt' }, h('input', { type: 'checkbox', name: 'event', value: e }), h('span', {}, h('bdi', { dir: 'ltr' }, e), ` — ${t(`event_${e.replace('.', '_')}`)}`))));
  const formStatus = h('div', { class: 'form-status', 'aria-live': 'polite', tabindex: '-1', id: 'webhook-form-status' });
  const form = h('form', { class: 'admin-form', id: 'webhook-form', novalidate: true, 'aria-labelledby': 'new-webhook-h' },
    h('h2', { id: 'new-webhook-h' }, t('newWebhook')),
    formStatus,
    h('div', { class: 'field' }, h('label', { for: 'webhook-url' }, t('webhookUrl')), url),
    events,
    h('div', { class: 'field' }, h('label', { for: 'webhook-secret' }, t('secret')), secret,
      h('p', { class: 'hint', id: 'webhook-secret-hint' }, t('secretHint'))),
    h('div', { class: 'toolbar' }, generate), secretNote,
    h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'submit', id: 'webhook-save' }, t('registerWebhook'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.field-error').forEach((x) => x.remove());
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const body = { url: url.value.trim(), events: [...events.querySelectorAll('input:checked')].map((x) => x.value), secret: secret.value.trim() };
      await api('POST', '/api/v1/webhooks', { body });
      status.replaceChildren(message(t('webhookRegistered'), 'ok'));
      window.dispatchEvent(new Event('hashchange'));
    } catch (x) {
      formStatus.replaceChildren(message(why(x), 'error'));
      let first = null;
      for (const d of x.details || []) {
        const path = String(d.path || '').replace(/\/\d+$/, '');
        const at = form.querySelector(`[data-path="${CSS.escape(path)}"]`);
        if (!at) continue;
        at.setAttribute('aria-invalid', 'true');
        (at.tagName === 'FIELDSET' ? at.querySelector('legend') : at).after(h('p', { class: 'field-error' }, d.problem));
        first ??= at.tagName === 'FIELDSET' ? at.querySelector('input') : at;
      }
      (first || formStatus).focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** One webhook's delivery log, newest first, each with "deliver again". */
export async function deliveriesView(id) {
  const [hooks, log] = await Promise.all([get('/api/v1/webhooks'), get(`/api/v1/webhooks/${enc(id)}/deliveries?limit=200`)]);
  const hook = hooks.find((w) => w.id === id);
  const status = h('div', { class: 'form-status', 'aria-live': 'polite', tabindex: '-1', id: 'delivery-status' });
  const reload = () => window.dispatchEvent(new Event('hashchange'));
  const when = (x) => (x ? dateTime(x) : '—');
  return [
    h('h2', {}, t('deliveryLog')),
    h('p', {}, h('bdi', { dir: 'ltr', id: 'webhook-url-shown' }, hook?.url || id)),
    h('div', { class: 'toolbar' }, h('button', { class: 'btn secondary', type: 'button', id: 'deliveries-refresh', onclick: reload }, t('refresh'))),
    status,
    log.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'deliveries' },
      h('thead', {}, h('tr', {}, [t('webhookEvent'), t('deliveryStatus'), t('attempts'), t('lastAnswer'), t('createdAt'), t('deliveredAt'), t('nextAttempt'), t('actionsCol')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, log.map((d) => h('tr', { 'data-delivery': d.id, 'data-event': d.event_id, 'data-status': d.status, 'data-attempts': d.attempts },
        h('td', {}, h('bdi', { dir: 'ltr' }, d.event_type), h('div', { class: 'meta' }, h('bdi', { dir: 'ltr' }, d.event_id))),
        h('td', {}, h('span', { class: `pill ${d.status}` }, t(`delivery_${d.status}`))),
        h('td', {}, String(d.attempts)),
        h('td', {}, d.last_status ? h('bdi', { dir: 'ltr' }, `HTTP ${d.last_status}`) : '', d.last_error ? h('div', { class: 'meta' }, h('bdi', { dir: 'ltr' }, d.last_error)) : ''),
        h('td', {}, when(d.created_at)),
        h('td', {}, when(d.delivered_at)),
        h('td', {}, when(d.next_attempt_at)),
        h('td', {}, busy(h('button', { class: 'btn secondary redeliver', type: 'button', 'aria-label': t('redeliverOf', d.event_type) }, t('redeliver')), status, async () => {
          await api('POST', `/api/v1/webhooks/${enc(id)}/deliveries/${enc(d.id)}/redeliver`);
          status.replaceChildren(message(t('redeliverQueued'), 'ok'));
          setTimeout(reload, 1500);
        })))))))
      : h('p', { class: 'meta', id: 'no-deliveries' }, t('noDeliveries')),
  ];
}
