// The administrator's screens: the organisation (regions, branches and their teams), users with
// their role and scopes, bulk onboarding from spreadsheets, and the audit log; and, for every
// role, changing one's own password. Everything goes through the JSON API; the server decides
// what is valid and its refusals are shown at the field they name, in the reader's language.

import { adoptTokens, api, ApiError, get, me, refreshMe } from './api.js';
import { coordinates, dateTime, dateTimeZone, num, t, tx } from './i18n.js';
import { confirmDialog, filePicker, h, message, saveBlob } from './ui.js';
import { deliveriesView, emailSection, exportsView, tokensSection, webhooksView } from './dataout.js';

const TABS = ['org', 'users', 'import', 'audit', 'exports', 'webhooks'];
const TAB_LABEL = { org: 'adminOrg', users: 'adminUsers', import: 'adminImport', audit: 'adminAudit', exports: 'adminExports', webhooks: 'adminWebhooks' };
const ROLES = ['admin', 'qa', 'manager', 'shopper'];
const enc = encodeURIComponent;

function tabs(current) {
  return h('nav', { class: 'tabs', 'aria-label': t('adminNav') },
    TABS.map((k) => h('a', { href: `#/admin/${k}`, 'aria-current': k === current ? 'page' : null }, t(TAB_LABEL[k]))),
    h('a', { href: '#/qa/reviews' }, t('reviewQueue')),
    h('a', { href: '#/account' }, t('myAccount')));
}

// ---- forms: labelled fields, and the server's problems shown where they belong ---------------

let fieldSeq = 0;

/** A labelled input; `path` is the JSON pointer the server names in its problems. */
function field(label, path, attrs = {}, hint) {
  const { tag, options, ...rest } = attrs;
  const id = rest.id || `f${++fieldSeq}`;
  const input = tag === 'select'
    ? h('select', { ...rest, id, 'data-path': path }, options)
    : h('input', { type: 'text', ...rest, id, 'data-path': path });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl);
}

const option = (value, text, selected) => h('option', { value, selected: selected ? true : null }, text);

/** Removes the problems shown by `showProblems`. */
function clearProblems(form) {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((e) => {
    e.removeAttribute('aria-invalid');
    const hint = e.getAttribute('aria-describedby')?.split(' ').filter((x) => !x.endsWith('-err')).join(' ');
    if (hint) e.setAttribute('aria-describedby', hint); else e.removeAttribute('aria-describedby');
  });
  form.querySelector('.form-status')?.replaceChildren();
}

/**
 * Shows an API refusal: each detail at the input whose `data-path` it names (or the nearest
 * enclosing one: `/names` at the first name), the rest — and the message — at the form's top.
 * The first invalid input takes the focus.
 */
function showProblems(form, err) {
  clearProblems(form);
  const status = form.querySelector('.form-status');
  const loose = [];
  let first = null;
  for (const d of err.details || []) {
    const path = String(d.path || '');
    const input = form.querySelector(`[data-path="${CSS.escape(path)}"]`)
      || form.querySelector(`[data-path^="${CSS.escape(path)}/"]`);
    if (!input) { loose.push(d.problem); continue; }
    const id = `${input.id}-err`;
    if (!document.getElementById(id)) {
      input.after(h('p', { class: 'field-error', id }, d.problem));
    } else {
      document.getElementById(id).append(` ${d.problem}`);
    }
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    first ??= input;
  }
  const text = err instanceof ApiError ? err.message : t('errorRetry');
  status?.replaceChildren(message([text, ...loose].join(' — '), 'error'));
  (first || status)?.focus?.();
}

/** A form whose submit runs `act` (which calls the API); problems are shown, success reported. */
function apiForm(attrs, children, act) {
  const status = h('div', { class: 'form-status', tabindex: '-1', 'aria-live': 'polite' });
  const form = h('form', { class: 'admin-form', novalidate: true, ...attrs }, status, children);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    try {
      await act(form);
    } catch (x) {
      showProblems(form, x);
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}

const value = (form, path) => form.querySelector(`[data-path="${path}"]`)?.value.trim() ?? '';

/** `{en, ar}` from two inputs, leaving out an empty language (the server wants one at least). */
function namesOf(form, path) {
  const names = {};
  for (const l of ['en', 'ar']) {
    const v = value(form, `${path}/${l}`);
    if (v) names[l] = v;
  }
  return names;
}

/** A number input's value: null when empty, the text itself when not a number (the server says why). */
function numberOf(form, path) {
  const v = value(form, path).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660)).replace('٫', '.');
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

const saved = (form, text = t('saved')) => form.querySelector('.form-status').replaceChildren(message(text, 'ok'));

function nameInputs(path, names = {}) {
  return [
    field(t('nameEn'), `${path}/en`, { value: names.en || '', dir: 'ltr', lang: 'en', maxlength: 200, autocomplete: 'off' }),
    field(t('nameAr'), `${path}/ar`, { value: names.ar || '', dir: 'rtl', lang: 'ar', maxlength: 200, autocomplete: 'off' }),
  ];
}

const codeInput = (code = '') => field(t('code'), '/code', { value: code, dir: 'ltr', maxlength: 64, autocomplete: 'off', required: true, spellcheck: 'false' }, t('codeHint'));

// ---- organisation ----------------------------------------------------------------------------

/** The organisation's own name in both languages (what the PDF reports print at their top). */
function orgNameForm(org) {
  return apiForm({ id: 'org-name-form', 'aria-labelledby': 'org-name-h' }, [
    h('h2', { id: 'org-name-h' }, t('orgName')),
    h('p', { class: 'hint' }, t('orgNameHint')),
    nameInputs('/names', org?.names || {}),
    h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'submit', id: 'org-name-save' }, t('save'))),
  ], async (form) => {
    await api('PUT', '/api/v1/organisation', { body: { names: namesOf(form, '/names') } });
    saved(form);
  });
}

async function orgView() {
  const [regions, branches, teams, org] = await Promise.all([get('/api/v1/regions'), get('/api/v1/branches'), get('/api/v1/teams'), get('/api/v1/organisation').catch(() => null)]);
  const teamCount = new Map();
  for (const x of teams) teamCount.set(x.branch_id, (teamCount.get(x.branch_id) || 0) + 1);
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  // A branch's region by its name, its code beside it (the code alone meant nothing to a reader).
  const regionById = new Map(regions.map((r) => [r.id, r]));
  const regionName = (b) => { const r = regionById.get(b.region_id); return r ? [h('bdi', { dir: 'ltr' }, r.code), ' · ', h('bdi', {}, tx(r.names))] : h('bdi', {}, b.region_code); };
  const regionFilter = h('select', { id: 'branch-region', onchange: () => draw() },
    option('', t('allRegions')), regions.map((r) => option(r.id, `${r.code} · ${tx(r.names)}`, r.id === params.get('region'))));
  const search = h('input', { type: 'search', id: 'branch-search', dir: 'auto', oninput: () => draw(), value: params.get('q') || '' });
  const body = h('tbody');
  const shown = h('p', { class: 'meta', role: 'status', id: 'branch-count' });
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const list = branches.filter((b) => (!regionFilter.value || b.region_id === regionFilter.value)
      && (!q || [b.code, ...Object.values(b.names)].some((s) => s.toLowerCase().includes(q))));
    body.replaceChildren(...list.slice(0, 200).map((b) => h('tr', { 'data-branch': b.code },
      h('td', {}, h('a', { href: `#/admin/branch/${b.id}` }, h('bdi', {}, b.code))),
      h('td', {}, tx(b.names)), h('td', {}, regionName(b)),
      h('td', {}, b.location ? h('bdi', { dir: 'ltr' }, coordinates(b.location.lat, b.location.lon)) : '—'),
      h('td', {}, num(teamCount.get(b.id) || 0)))));
    shown.textContent = list.length > 200 ? t('shownOf', 200, list.length) : t('branchesN', list.length);
  };
  draw();
  return [
    h('section', { class: 'admin-section' }, orgNameForm(org)),
    h('section', { class: 'admin-section', 'aria-labelledby': 'regions-h' },
      h('div', { class: 'section-head' }, h('h2', { id: 'regions-h' }, t('regions')),
        h('a', { class: 'btn secondary', href: '#/admin/region/new', id: 'new-region' }, t('newRegion'))),
      regions.length ? h('table', { class: 'grid', id: 'regions' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('code')), h('th', { scope: 'col' }, t('name')), h('th', { scope: 'col' }, t('branchesCol')))),
        h('tbody', {}, regions.map((r) => h('tr', { 'data-region': r.code },
          h('td', {}, h('a', { href: `#/admin/region/${r.id}` }, h('bdi', {}, r.code))),
          h('td', {}, tx(r.names)),
          h('td', {}, num(branches.filter((b) => b.region_id === r.id).length))))))
        : message(t('noRegions'))),
    h('section', { class: 'admin-section', 'aria-labelledby': 'branches-h' },
      h('div', { class: 'section-head' }, h('h2', { id: 'branches-h' }, t('branchesCol')),
        h('a', { class: 'btn secondary', href: '#/admin/branch/new', id: 'new-branch' }, t('newBranch'))),
      h('div', { class: 'filters' },
        h('div', { class: 'field' }, h('label', { for: 'branch-region' }, t('region')), regionFilter),
        h('div', { class: 'field' }, h('label', { for: 'branch-search' }, t('search')), search)),
      shown,
      h('table', { class: 'grid', id: 'branches' },
        h('thead', {}, h('tr', {}, [t('code'), t('name'), t('region'), t('coordinates'), t('teams')].map((c) => h('th', { scope: 'col' }, c)))),
        body)),
  ];
}

async function regionView(id) {
  const region = id === 'new' ? null : await get(`/api/v1/regions/${enc(id)}`);
  const form = apiForm({ id: 'region-form' }, [
    codeInput(region?.code),
    ...nameInputs('/names', region?.names),
    h('div', { class: 'toolbar' },
      h('button', { class: 'btn', type: 'submit', id: 'save' }, t('save')),
      region ? h('button', { class: 'btn danger', type: 'button', id: 'delete', onclick: () => remove() }, t('delete')) : null),
  ], async (f) => {
    const body = { code: value(f, '/code'), names: namesOf(f, '/names') };
    if (region) { await api('PATCH', `/api/v1/regions/${enc(region.id)}`, { body }); saved(f); } else {
      const made = await api('POST', '/api/v1/regions', { body });
      location.hash = `#/admin/region/${made.id}`;
    }
  });
  const remove = async () => {
    if (!(await confirmDialog(t('deleteRegionQ', region.code), t('delete'), t('cancelAction')))) return;
    try { await api('DELETE', `/api/v1/regions/${enc(region.id)}`); location.hash = '#/admin/org'; } catch (x) { showProblems(form, x); }
  };
  return [region ? `${t('region')} ${region.code}` : t('newRegion'), [tabs('org'), form], '#/admin/org'];
}

async function branchView(id) {
  const [regions, branch, teams] = await Promise.all([
    get('/api/v1/regions'),
    id === 'new' ? null : get(`/api/v1/branches/${enc(id)}`),
    id === 'new' ? [] : get(`/api/v1/teams?branch_id=${enc(id)}`),
  ]);
  const preset = new URLSearchParams(location.hash.split('?')[1] || '').get('region');
  const coord = (path, v, min, max) => field(t(path.endsWith('lat') ? 'latitude' : 'longitude'), path,
    { type: 'text', inputmode: 'decimal', dir: 'ltr', value: v ?? '', autocomplete: 'off', 'data-min': min, 'data-max': max });
  const form = apiForm({ id: 'branch-form' }, [
    codeInput(branch?.code),
    field(t('region'), '/region_id', { tag: 'select', required: true, options: [option('', '—'), ...regions.map((r) => option(r.id, `${r.code} · ${tx(r.names)}`, r.id === (branch?.region_id || preset)))] }),
    ...nameInputs('/names', branch?.names),
    field(t('cityEn'), '/city/en', { value: branch?.city?.en || '', dir: 'ltr', lang: 'en', maxlength: 200 }),
    field(t('cityAr'), '/city/ar', { value: branch?.city?.ar || '', dir: 'rtl', lang: 'ar', maxlength: 200 }),
    h('fieldset', { class: 'pair' }, h('legend', {}, t('coordinates')),
      coord('/location/lat', branch?.location?.lat), coord('/location/lon', branch?.location?.lon)),
    h('div', { class: 'toolbar' },
      h('button', { class: 'btn', type: 'submit', id: 'save' }, t('save')),
      branch ? h('button', { class: 'btn danger', type: 'button', id: 'delete', onclick: () => remove() }, t('delete')) : null),
  ], async (f) => {
    const lat = numberOf(f, '/location/lat');
    const lon = numberOf(f, '/location/lon');
    const city = namesOf(f, '/city');
    const body = { code: value(f, '/code'), region_id: value(f, '/region_id'), names: namesOf(f, '/names'), city };
    if (lat !== null || lon !== null) {
      // Half a location is refused here: the server takes both or neither.
      if (lat === null || lon === null) {
        throw new ApiError(422, { error: { message: t('notValid'), details: [{ path: lat === null ? '/location/lat' : '/location/lon', problem: t('bothCoordinates') }] } });
      }
      body.location = { lat, lon };
    } else if (branch) body.location = null;
    if (branch) { await api('PATCH', `/api/v1/branches/${enc(branch.id)}`, { body }); saved(f); } else {
      const made = await api('POST', '/api/v1/branches', { body });
      location.hash = `#/admin/branch/${made.id}`;
    }
  });
  const remove = async () => {
    if (!(await confirmDialog(t('deleteBranchQ', branch.code), t('delete'), t('cancelAction')))) return;
    try { await api('DELETE', `/api/v1/branches/${enc(branch.id)}`); location.hash = '#/admin/org'; } catch (x) { showProblems(form, x); }
  };
  const body = [tabs('org'), form];
  if (branch) body.push(teamsSection(branch, teams));
  else body.push(message(t('teamsAfterSave')));
  return [branch ? `${t('branch')} ${branch.code}` : t('newBranch'), body, '#/admin/org'];
}

/** The branch's teams: each editable in its own row, and one to add. */
function teamsSection(branch, teams) {
  const reload = () => window.dispatchEvent(new Event('hashchange'));
  const row = (team) => {
    const f = apiForm({ class: 'admin-form team-row', 'data-team': team?.code || 'new', 'aria-label': team ? `${t('team')} ${team.code}` : t('newTeam') }, [
      codeInput(team?.code),
      ...nameInputs('/names', team?.names),
      h('div', { class: 'toolbar' },
        h('button', { class: 'btn secondary', type: 'submit' }, team ? t('save') : t('addTeam')),
        team ? h('button', {
          class: 'btn danger', type: 'button',
          onclick: async () => {
            if (!(await confirmDialog(t('deleteTeamQ', team.key), t('delete'), t('cancelAction')))) return;
            try { await api('DELETE', `/api/v1/teams/${enc(team.id)}`); reload(); } catch (x) { showProblems(f, x); }
          },
        }, t('delete')) : null),
    ], async (form) => {
      const body = { code: value(form, '/code'), names: namesOf(form, '/names') };
      if (team) { await api('PATCH', `/api/v1/teams/${enc(team.id)}`, { body }); saved(form); } else {
        await api('POST', '/api/v1/teams', { body: { branch_id: branch.id, ...body } });
        reload();
      }
    });
    return f;
  };
  return h('section', { class: 'admin-section', id: 'teams', 'aria-labelledby': 'teams-h' },
    h('h2', { id: 'teams-h' }, t('teams')),
    teams.length ? null : message(t('noTeams')),
    teams.map(row),
    h('h3', {}, t('newTeam')),
    row(null));
}

// ---- users -----------------------------------------------------------------------------------

/** Codes of every region, branch and team, by id, for naming scopes. */
async function directory() {
  const [regions, branches, teams] = await Promise.all([get('/api/v1/regions'), get('/api/v1/branches'), get('/api/v1/teams')]);
  const names = new Map();
  for (const r of regions) names.set(r.id, `${r.code} · ${tx(r.names)}`);
  for (const b of branches) names.set(b.id, `${b.code} · ${tx(b.names)}`);
  for (const x of teams) names.set(x.id, `${x.key} · ${tx(x.names)}`);
  return { regions, branches, teams, names };
}

/** A user's state: deactivated, invited (no password set yet), or active. */
const userState = (u) => (!u.active ? 'inactive' : u.invitation_pending ? 'invited' : 'active');
const stateWord = (u) => t({ inactive: 'inactive', invited: 'invitedStatus', active: 'active' }[userState(u)]);

async function usersView() {
  const [users, dir] = await Promise.all([get('/api/v1/users'), directory()]);
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const role = h('select', { id: 'user-role', onchange: () => draw() }, option('', t('allRoles')), ROLES.map((r) => option(r, t(`role_${r}`), r === params.get('role'))));
  const wanted = params.get('state');
  const state = h('select', { id: 'user-state', onchange: () => draw() }, option('', t('anyStatus')),
    ['active', 'invited', 'inactive'].map((x) => option(x, t(x === 'invited' ? 'invitedStatus' : x), x === wanted)));
  const search = h('input', { type: 'search', id: 'user-search', dir: 'auto', maxlength: 254, value: params.get('q') || '', oninput: () => draw() });
  const body = h('tbody');
  const shown = h('p', { class: 'meta', role: 'status', id: 'user-count' });
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const list = users.filter((u) => (!role.value || u.role === role.value)
      && (!state.value || userState(u) === state.value)
      && (!q || u.email.includes(q) || u.name.toLowerCase().includes(q)));
    body.replaceChildren(...list.map((u) => h('tr', { 'data-user': u.email, 'data-state': userState(u), class: u.active ? null : 'inactive' },
      h('td', {}, h('a', { href: `#/admin/user/${u.id}` }, h('bdi', { dir: 'ltr' }, u.email))),
      h('td', {}, h('bdi', {}, u.name)), h('td', {}, t(`role_${u.role}`)),
      h('td', {}, u.scopes.map((s) => h('span', { class: 'pill' }, h('bdi', {}, dir.names.get(s.id) || s.id)))),
      h('td', {}, stateWord(u)))));
    // No match: said in the table, not left as headers over nothing.
    if (!list.length) body.append(h('tr', { class: 'none' }, h('td', { colspan: 5 }, t(users.length ? 'usersNoneMatch' : 'usersNone'))));
    shown.textContent = t('usersN', list.length);
    // The filters live in the address, so Back from a user returns to the same list.
    const kept = new URLSearchParams(Object.entries({ role: role.value, state: state.value, q: search.value.trim() }).filter(([, v]) => v));
    const hash = `#/admin/users${kept.size ? `?${kept}` : ''}`;
    if (location.hash !== hash) {
      history.replaceState(history.state, '', hash);
      if (document.body.dataset.route?.startsWith('#/admin/users')) document.body.dataset.route = hash;
    }
  };
  draw();
  return [
    h('div', { class: 'section-head' }, h('h2', {}, t('adminUsers')), h('a', { class: 'btn secondary', href: '#/admin/user/new', id: 'new-user' }, t('newUser'))),
    h('div', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'user-role' }, t('role')), role),
      h('div', { class: 'field' }, h('label', { for: 'user-state' }, t('status')), state),
      h('div', { class: 'field' }, h('label', { for: 'user-search' }, t('search')), search)),
    shown,
    h('table', { class: 'grid', id: 'users' },
      h('thead', {}, h('tr', {}, [t('email'), t('name'), t('role'), t('scopes'), t('status')].map((c) => h('th', { scope: 'col' }, c)))),
      body),
  ];
}

/** Rows of (kind, target) for a manager's scopes, with add and remove. */
function scopeEditor(dir, scopes) {
  const list = h('div', { class: 'scopes', id: 'scopes', 'data-path': '/scopes', tabindex: '-1' });
  let n = 0;
  const targets = (kind) => (kind === 'region' ? dir.regions.map((r) => [r.id, `${r.code} · ${tx(r.names)}`])
    : kind === 'branch' ? dir.branches.map((b) => [b.id, `${b.code} · ${tx(b.names)}`])
      : dir.teams.map((x) => [x.id, `${x.key} · ${tx(x.names)}`]));
  const add = (scope) => {
    const i = n++;
    const target = h('select', { id: `scope-${i}-id`, class: 'scope-target' });
    const fill = (kind, selected) => target.replaceChildren(option('', '—'), ...targets(kind).map(([id, label]) => option(id, label, id === selected)));
    const kind = h('select', { id: `scope-${i}-kind`, class: 'scope-kind', onchange: () => fill(kind.value) },
      ['region', 'branch', 'team'].map((k) => option(k, t(`scope_${k}`), k === (scope?.kind || 'branch'))));
    fill(kind.value, scope?.id);
    const row = h('div', { class: 'scope-row' },
      h('div', { class: 'field' }, h('label', { for: kind.id }, t('scopeKind')), kind),
      h('div', { class: 'field' }, h('label', { for: target.id }, t('scopeTarget')), target),
      h('button', { type: 'button', class: 'small', onclick: () => { row.remove(); renumber(); } }, t('removeScope')));
    list.append(row);
    renumber();
  };
  // The server names a scope by its place in the list (`/scopes/1/id`).
  const renumber = () => list.querySelectorAll('.scope-row').forEach((row, i) => row.querySelector('.scope-target').setAttribute('data-path', `/scopes/${i}/id`));
  scopes.forEach(add);
  const read = () => [...list.querySelectorAll('.scope-row')].map((row) => ({ kind: row.querySelector('.scope-kind').value, id: row.querySelector('.scope-target').value }));
  const el = h('fieldset', { class: 'scope-editor' }, h('legend', {}, t('scopes')), h('p', { class: 'hint' }, t('scopesHint')), list,
    h('button', { type: 'button', class: 'small', id: 'add-scope', onclick: () => add(null) }, t('addScope')));
  return { el, read };
}

/** A password shown once, with a copy button, and why it is shown once. */
function oncePassword(password) {
  const out = h('output', { id: 'once-password', dir: 'ltr' }, password);
  return h('div', { class: 'msg ok once', role: 'status' },
    h('p', {}, t('passwordOnce')), h('p', {}, out, ' ',
      h('button', { type: 'button', class: 'small', onclick: () => navigator.clipboard?.writeText(password) }, t('copy'))));
}

async function userView(id) {
  // A new user's form offers an invitation only when the server sends e-mail (read afresh).
  const [user, dir] = await Promise.all([id === 'new' ? null : get(`/api/v1/users/${enc(id)}`), directory(), id === 'new' ? refreshMe().catch(() => null) : null]);
  const scopes = scopeEditor(dir, user?.scopes || []);
  const roleSelect = field(t('role'), '/role', { tag: 'select', id: 'role', options: ROLES.map((r) => option(r, t(`role_${r}`), r === (user?.role || 'shopper'))) });
  const syncScopes = () => { scopes.el.hidden = roleSelect.querySelector('select').value !== 'manager'; };
  roleSelect.querySelector('select').addEventListener('change', syncScopes);
  syncScopes();
  const after = h('div', { id: 'user-after' });
  const form = apiForm({ id: 'user-form' }, [
    user ? h('p', { class: 'meta' }, h('span', { id: 'user-state-word' }, stateWord(user))) : null,
    // The sign-in name; an admin mends a mistyped address here.
    field(t('email'), '/email', { type: 'email', id: user ? 'user-email' : 'new-email', value: user?.email || '', dir: 'ltr', maxlength: 254, autocomplete: 'off', required: true }),
    field(t('name'), '/name', { id: 'user-name', value: user?.name || '', dir: 'auto', maxlength: 200, autocomplete: 'off', required: true }),
    roleSelect,
    scopes.el,
    user ? null : field(t('initialPassword'), '/password', { type: 'password', id: 'new-password', autocomplete: 'new-password', maxlength: 1024 }, t('initialPasswordHint')),
    // Offered only where a letter can go out (the server refuses it otherwise).
    user || !me()?.sends_email ? null : h('div', { class: 'field check' }, h('label', { for: 'invite' }, h('input', { type: 'checkbox', id: 'invite', 'data-path': '/invite' }), ' ', t('inviteByMail'))),
    h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'submit', id: 'save' }, user ? t('save') : t('createUser'))),
  ], async (f) => {
    const role = value(f, '/role');
    const body = { name: value(f, '/name'), role, scopes: role === 'manager' ? scopes.read() : [] };
    body.email = value(f, '/email');
    if (user) {
      const changed = await api('PATCH', `/api/v1/users/${enc(user.id)}`, { body });
      const moved = changed.email !== user.email;
      if (moved && user.id === me()?.id) await refreshMe().catch(() => {});
      // A new address: the letters sent to the old one no longer work.
      const self = user.id === me()?.id;
      saved(f, !moved ? t('saved') : self ? t('ownEmailMoved', changed.email) : changed.invitation_pending ? t('emailMovedInvite', changed.email) : t('emailMoved', changed.email));
      user.email = changed.email;
      return;
    }
    const password = f.querySelector('#new-password').value;
    if (password) body.password = password;
    if (f.querySelector('#invite')?.checked) body.invite = true;
    const made = await api('POST', '/api/v1/users', { body });
    // A generated password is shown here once; the screen of the new user follows on request.
    const done = message(t('userCreated', made.email), 'ok');
    done.tabIndex = -1;
    f.replaceWith(h('div', { id: 'user-created' }, done,
      made.password ? oncePassword(made.password) : null,
      made.invited ? message(t('invitationSent', made.email, dateTimeZone(made.invitation_expires_at)), 'ok') : null,
      h('p', {}, h('a', { class: 'btn secondary', href: `#/admin/user/${made.id}`, id: 'open-user' }, t('openUser')))));
    // The form (and the focused button) is gone: the focus goes to what happened.
    done.focus();
  });
  const body = [tabs('users'), form];
  if (user) body.push(accountActions(user, after), after);
  return [user ? user.name : t('newUser'), body, '#/admin/users'];
}

/** Deactivate or reactivate, and set a new password (given, or generated and shown once). */
function accountActions(user, after) {
  const reload = () => window.dispatchEvent(new Event('hashchange'));
  const toggle = h('button', {
    class: user.active ? 'btn danger' : 'btn secondary', type: 'button', id: user.active ? 'deactivate' : 'activate',
    onclick: async () => {
      if (user.active && !(await confirmDialog(t('deactivateQ', user.email), t('deactivate'), t('cancelAction')))) return;
      try { await api('PATCH', `/api/v1/users/${enc(user.id)}`, { body: { active: !user.active } }); reload(); } catch (x) { showProblems(status, x); }
    },
  }, user.active ? t('deactivate') : t('activate'));
  const status = h('div', {}, h('div', { class: 'form-status', tabindex: '-1', 'aria-live': 'polite' }));
  const reset = apiForm({ id: 'reset-form', 'aria-labelledby': 'reset-h' }, [
    h('h3', { id: 'reset-h' }, t('resetPassword')),
    field(t('newPassword'), '/password', { type: 'password', id: 'reset-password', autocomplete: 'new-password', maxlength: 1024 }, t('resetHint')),
    h('div', { class: 'toolbar' }, h('button', { class: 'btn secondary', type: 'submit', id: 'reset' }, t('setPassword'))),
  ], async (f) => {
    const given = f.querySelector('#reset-password').value;
    const answer = await api('POST', `/api/v1/users/${enc(user.id)}/password`, { body: given ? { password: given } : {} });
    f.querySelector('#reset-password').value = '';
    after.replaceChildren(answer?.password ? oncePassword(answer.password) : message(t('passwordSet'), 'ok'));
  });
  // Invited and no password yet: a new letter, whose link replaces the earlier ones.
  const resend = user.active && user.invitation_pending ? h('button', {
    class: 'btn secondary', type: 'button', id: 'resend-invitation',
    onclick: async () => {
      // Once per visit to this screen: a second letter would end the first one's link.
      resend.disabled = true;
      try {
        const sent = await api('POST', `/api/v1/users/${enc(user.id)}/invitation`);
        const note = message(t('invitationSentAgain', sent.email, dateTimeZone(sent.expires_at)), 'ok');
        note.tabIndex = -1;
        after.replaceChildren(note);
        note.scrollIntoView({ block: 'nearest' });
        note.focus();
      } catch (x) {
        // Refused (a password was set meanwhile, or the account deactivated): nothing to send.
        if (x instanceof ApiError && x.status === 409) resend.remove(); else resend.disabled = false;
        showProblems(status, x);
      }
    },
  }, t('resendInvitation')) : null;
  // On their own screen admins neither deactivate themselves (the server refuses) nor set their
  // password as for someone else (it would sign them out): My account changes it.
  const self = user.id === me()?.id;
  return h('section', { class: 'admin-section', 'aria-label': t('account') }, status,
    h('div', { class: 'toolbar' }, self ? null : toggle, resend),
    self ? h('p', { class: 'hint' }, h('a', { href: '#/account', id: 'own-account' }, t('ownPasswordThere'))) : reset);
}

// ---- bulk onboarding ---------------------------------------------------------------------------

function importPanel(kind) {
  const input = h('input', { type: 'file', id: `${kind}-file`, accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const result = h('div', { id: `${kind}-result`, 'aria-live': 'polite' });
  const apply = h('button', { class: 'btn', type: 'button', id: `${kind}-apply`, hidden: true, onclick: () => send(false) }, t('applyImport'));
  const check = h('button', { class: 'btn secondary', type: 'button', id: `${kind}-check`, onclick: () => send(true) }, t('checkFile'));
  // New accounts have no password: with this, each gets a letter whose link sets one.
  const invite = kind === 'users' && me()?.sends_email ? h('input', { type: 'checkbox', id: 'users-invite' }) : null;
  const send = async (dryRun) => {
    const file = input.files[0];
    if (!file) { result.replaceChildren(message(t('chooseFile'), 'error')); input.focus(); return; }
    check.disabled = true; apply.disabled = true;
    result.replaceChildren(message(t('checking')));
    try {
      // The file's name is the "sheet" of a CSV's problems.
      const query = dryRun ? '?dry_run=true' : invite?.checked ? '?invite=true' : '';
      const report = await api('POST', `/api/v1/imports/${kind}${query}`, {
        body: file, headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"` },
      });
      show(report, dryRun);
    } catch (x) {
      if (x instanceof ApiError && x.status === 422) show({ problems: x.details, refused: true }, dryRun);
      else result.replaceChildren(message(x.message || t('errorRetry'), 'error'));
    } finally {
      check.disabled = false; apply.disabled = false;
    }
  };
  const show = (report, dryRun) => {
    const problems = report.problems || [];
    const changes = (report.create || 0) + (report.update || 0);
    const counts = report.refused ? null : h('ul', { class: 'counts', id: `${kind}-counts` },
      h('li', { 'data-count': 'create' }, t(dryRun ? 'willCreate' : 'created', report.create)),
      h('li', { 'data-count': 'update' }, t(dryRun ? 'willUpdate' : 'updated', report.update)),
      h('li', { 'data-count': 'unchanged' }, t('unchangedN', report.unchanged)),
      report.new_regions?.length ? h('li', {}, t('newRegions', report.new_regions.join('، '))) : null,
      report.invited ? h('li', { 'data-count': 'invited' }, t('invitedN', report.invited)) : null);
    let verdict;
    if (problems.length) verdict = message(t('fixProblems', problems.length), 'error');
    else if (!changes) verdict = message(t('nothingToChange'), 'ok');
    else verdict = message(dryRun ? t('readyToApply') : t('importDone'), 'ok');
    apply.hidden = !(dryRun && !problems.length && changes);
    // replaceChildren writes a null as the text "null": only what there is.
    result.replaceChildren(...[h('div', { id: `${kind}-verdict`, 'data-state': problems.length ? 'problems' : changes ? (dryRun ? 'ready' : 'applied') : 'nothing' }, verdict), counts,
      problems.length ? h('table', { class: 'grid problems-table', id: `${kind}-problems` },
        h('caption', {}, t('problemsCaption')),
        h('thead', {}, h('tr', {}, [t('sheet'), t('row'), t('column'), t('problem')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, problems.map((p) => h('tr', {},
          h('td', {}, h('bdi', {}, p.sheet || '')), h('td', {}, p.row ? num(p.row) : '—'),
          h('td', {}, h('bdi', { dir: 'ltr' }, p.column || '—')), h('td', {}, p.problem))))) : null].filter(Boolean));
  };
  const template = (l) => h('button', {
    type: 'button', class: 'small', id: `${kind}-template-${l}`,
    onclick: async () => {
      try {
        const blob = await api('GET', `/api/v1/imports/templates/${kind}.xlsx?lang=${l}`, { blob: true });
        saveBlob(blob, `sirr-${kind}-${l}.xlsx`);
      } catch (x) { result.replaceChildren(message(x.message || t('errorRetry'), 'error')); }
    },
  }, t(l === 'ar' ? 'templateAr' : 'templateEn'));
  input.addEventListener('change', () => { result.replaceChildren(); apply.hidden = true; });
  return h('section', { class: 'admin-section import', id: `import-${kind}`, 'aria-labelledby': `import-${kind}-h` },
    h('h2', { id: `import-${kind}-h` }, t(kind === 'branches' ? 'importBranches' : 'importUsers')),
    h('p', { class: 'hint' }, t(kind === 'branches' ? 'importBranchesHint' : 'importUsersHint')),
    h('p', { class: 'toolbar' }, t('templates'), ' ', template('ar'), template('en')),
    h('div', { class: 'field' }, h('label', { for: input.id }, t('spreadsheet')), filePicker(input)),
    invite ? h('div', { class: 'field check' }, h('label', { for: 'users-invite' }, invite, ' ', t('inviteImported'))) : null,
    h('div', { class: 'toolbar' }, check, apply),
    result);
}

// ---- audit log ---------------------------------------------------------------------------------

const ENTITIES = ['organisation', 'user', 'region', 'branch', 'team', 'checklist', 'campaign', 'assignment', 'visit', 'attachment', 'dispute', 'action_item', 'shopper_bar', 'access_token'];

async function auditView() {
  const users = await get('/api/v1/users');
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const actor = h('select', { id: 'audit-actor' }, option('', t('anyone')), users.map((u) => option(u.id, `${u.name} <${u.email}>`, u.id === params.get('actor'))));
  const entity = h('select', { id: 'audit-entity' }, option('', t('anything')), ENTITIES.map((e) => option(e, t(`entity_${e}`), e === params.get('entity'))));
  const since = h('input', { type: 'date', id: 'audit-since', value: params.get('since') || '' });
  const until = h('input', { type: 'date', id: 'audit-until', value: params.get('until') || '' });
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn secondary', id: 'audit-more', hidden: true }, t('more'));
  const shown = h('p', { class: 'meta', role: 'status', id: 'audit-count' });
  let next = null; let total = 0;
  const load = async (reset) => {
    const q = new URLSearchParams({ limit: '100' });
    if (actor.value) q.set('actor_id', actor.value);
    if (entity.value) q.set('entity', entity.value);
    // Dates are the reader's own days: from the start of `since` to the end of `until`.
    if (since.value) q.set('since', new Date(`${since.value}T00:00:00`).toISOString());
    if (until.value) { const d = new Date(`${until.value}T00:00:00`); d.setDate(d.getDate() + 1); q.set('until', d.toISOString()); }
    if (!reset && next) q.set('before', next);
    const page = await get(`/api/v1/audit?${q}`);
    if (reset) { body.replaceChildren(); total = 0; }
    total += page.entries.length;
    body.append(...page.entries.map((e) => h('tr', { 'data-action': e.action, 'data-entity': e.entity },
      h('td', {}, dateTime(e.at)), h('td', {}, h('bdi', { dir: 'ltr' }, e.actor_email || '—')),
      // The action in words where the app knows it (the code stays in data-action and the tooltip).
      h('td', { title: e.action }, t(`action_${e.action}`) === `action_${e.action}` ? h('bdi', {}, e.action) : t(`action_${e.action}`)),
      h('td', {}, t(`entity_${e.entity}`) === `entity_${e.entity}` ? e.entity : t(`entity_${e.entity}`)),
      h('td', {}, h('code', { dir: 'ltr' }, e.entity_id)),
      h('td', {}, h('details', {}, h('summary', {}, t('details')), h('pre', { dir: 'ltr' }, JSON.stringify(e.details, null, 1)))))));
    next = page.next_before;
    more.hidden = !next;
    shown.textContent = t('entriesN', total);
  };
  more.addEventListener('click', () => load(false).catch((x) => shown.replaceChildren(message(x.message, 'error'))));
  const filters = h('form', {
    class: 'filters', id: 'audit-filters',
    onsubmit: (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      if (actor.value) q.set('actor', actor.value);
      if (entity.value) q.set('entity', entity.value);
      if (since.value) q.set('since', since.value);
      if (until.value) q.set('until', until.value);
      const hash = `#/admin/audit${q.size ? `?${q}` : ''}`;
      if (hash === location.hash) load(true); else location.hash = hash;
    },
  },
  h('div', { class: 'field' }, h('label', { for: actor.id }, t('actor')), actor),
  h('div', { class: 'field' }, h('label', { for: entity.id }, t('entity')), entity),
  h('div', { class: 'field' }, h('label', { for: since.id }, t('since')), since),
  h('div', { class: 'field' }, h('label', { for: until.id }, t('until')), until),
  h('div', { class: 'field' }, h('button', { type: 'submit', class: 'btn', id: 'audit-apply' }, t('filter'))));
  await load(true);
  return [filters, shown,
    h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'audit' },
      h('thead', {}, h('tr', {}, [t('when'), t('actor'), t('action'), t('entity'), t('id'), t('details')].map((c) => h('th', { scope: 'col' }, c)))),
      body)),
    more];
}

// ---- one's own password (every role) -------------------------------------------------------------

export async function accountView() {
  // From the server: an admin may have changed this account's address since sign-in.
  const who = await refreshMe().catch(() => me());
  const form = apiForm({ id: 'password-form', 'aria-labelledby': 'password-h' }, [
    h('h2', { id: 'password-h' }, t('changePassword')),
    field(t('currentPassword'), '/current_password', { type: 'password', id: 'current-password', autocomplete: 'current-password', required: true, maxlength: 1024 }),
    field(t('newPassword'), '/new_password', { type: 'password', id: 'new-password', autocomplete: 'new-password', required: true, minlength: 10, maxlength: 1024 }, t('passwordPolicy')),
    field(t('repeatPassword'), '/repeat', { type: 'password', id: 'repeat-password', autocomplete: 'new-password', required: true, maxlength: 1024 }),
    h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'submit', id: 'change-password' }, t('changePassword'))),
  ], async (f) => {
    const current = f.querySelector('#current-password').value;
    const fresh = f.querySelector('#new-password').value;
    if (fresh !== f.querySelector('#repeat-password').value) {
      throw new ApiError(422, { error: { message: t('notValid'), details: [{ path: '/repeat', problem: t('passwordsDiffer') }] } });
    }
    const tokens = await api('POST', '/api/v1/me/password', { body: { current_password: current, new_password: fresh } });
    // Every other session has ended; this one carries on with the new tokens.
    adoptTokens(tokens);
    f.reset();
    saved(f, t('passwordChanged'));
  });
  return [t('myAccount'), [
    who?.role === 'admin' ? tabs(null) : null,
    h('dl', { class: 'facts' }, h('dt', {}, t('name')), h('dd', {}, h('bdi', {}, who?.name || '')),
      h('dt', {}, t('email')), h('dd', {}, h('bdi', { dir: 'ltr' }, who?.email || '')),
      h('dt', {}, t('role')), h('dd', {}, t(`role_${who?.role}`))),
    form, ...(await Promise.all([emailSection(), tokensSection()]))], '#/'];
}

/** The admin screens by name (`#/admin/<name>[/<id>]`). */
export async function adminView(name, id) {
  if (me()?.role !== 'admin') { location.replace('#/'); return [t('app'), []]; }
  if (name === 'region' && id) return regionView(id);
  if (name === 'branch' && id) return branchView(id);
  if (name === 'user' && id) return userView(id);
  if (name === 'webhook' && id) return [t('deliveryLog'), [tabs('webhooks'), ...(await deliveriesView(id))], '#/admin/webhooks'];
  const views = { org: orgView, users: usersView, import: async () => { await refreshMe().catch(() => null); return [importPanel('branches'), importPanel('users')]; }, audit: auditView, exports: exportsView, webhooks: webhooksView };
  const view = views[name] || orgView;
  const key = views[name] ? name : 'org';
  return [t(TAB_LABEL[key]), [tabs(key), ...(await view())]];
}
