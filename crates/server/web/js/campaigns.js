// QA's campaign planning (loaded when QA opens it): the campaigns, a new campaign with its
// scenarios and their briefs in both languages and branches chosen by region and team, the run
// of the assignment and what it could not staff; a campaign's progress board per branch and per
// shopper with the overdue marked, single assignment and reassignment; the rotation rules and
// shopper bars.

import { api, get, OfflineError } from './api.js';
import { date, dateTime, num, t, tx, windowEnd } from './i18n.js';
import { checkRequired, confirmDialog, h, message } from './ui.js';

/** The statuses of the board, in the order a visit goes through them; the last four only when present. */
const MAIN = ['offered', 'accepted', 'submitted', 'approved'];
const OTHER = ['returned', 'rejected', 'declined', 'cancelled'];
/** An assignment that can still be given to another shopper or withdrawn. */
const MOVABLE = ['offered', 'accepted', 'declined'];
const OVERDUE = ['offered', 'accepted'];

const reload = () => window.dispatchEvent(new Event('hashchange'));
/** A campaign day (YYYY-MM-DD) as the calendar day it names, whatever the reader's time zone. */
const day = (d) => date(`${d}T00:00:00`);
const failText = (e) => (e instanceof OfflineError ? t('offlineAction') : e.message);

let flash = null;
const flashLine = () => {
  const text = flash;
  flash = null;
  return text ? h('p', { class: 'msg ok status-line', role: 'status', id: 'planning-status' }, text) : null;
};

function subnav(current) {
  const links = [['list', '#/qa/campaigns', 'campaignList'], ['new', '#/qa/campaigns/new', 'newCampaign'], ['rotation', '#/qa/rotation', 'rotationAndBars']];
  return h('nav', { class: 'tabs sub', 'aria-label': t('planning'), id: 'planning-nav' },
    links.map(([k, href, label]) => h('a', { href, 'aria-current': k === current ? 'page' : null }, t(label))));
}

/** A field: label, control, optional hint (linked by aria-describedby). */
function field(label, control, hint) {
  if (hint) control.setAttribute('aria-describedby', `${control.id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null);
}

/**
 * The server's problems beside the fields they name: a control with `data-path` equal to a
 * problem's path is marked invalid and gets the problem under it; the rest are listed in `out`.
 */
function showProblems(form, out, e, label) {
  for (const el of form.querySelectorAll('[data-path][aria-invalid]')) { el.removeAttribute('aria-invalid'); el.removeAttribute('aria-describedby'); }
  for (const p of form.querySelectorAll('.server-error')) p.remove();
  if (e.status !== 422 || !e.details?.length) { out.replaceChildren(message(failText(e), 'error')); return; }
  const rest = [];
  let first = null;
  e.details.forEach((d, i) => {
    const el = form.querySelector(`[data-path="${CSS.escape(d.path)}"]`);
    if (!el) { rest.push(d); return; }
    const id = `server-error-${i}`;
    el.setAttribute('aria-invalid', 'true');
    el.setAttribute('aria-describedby', id);
    el.after(h('p', { class: 'field-error server-error', id }, h('bdi', {}, d.problem)));
    first ??= el;
  });
  out.replaceChildren(message(e.message, 'error'), ...(rest.length ? [h('ul', { class: 'problems' }, rest.map((d) => h('li', {}, h('bdi', {}, label(d.path)), ': ', h('bdi', {}, d.problem))))] : []));
  first?.focus();
}

// ---------------------------------------------------------------------------------------------
// The list of campaigns.

async function listView() {
  const [campaigns, checklists] = await Promise.all([get('/api/v1/campaigns'), get('/api/v1/checklists').catch(() => [])]);
  const title = (ref) => tx(checklists.find((c) => c.key === ref.key)?.title) || ref.key;
  const said = flashLine();
  if (!campaigns.length) return [subnav('list'), said, message(t('noCampaigns')), h('p', {}, h('a', { class: 'btn', href: '#/qa/campaigns/new' }, t('newCampaign')))];
  const total = (c) => Object.values(c.assignments).reduce((a, b) => a + b, 0);
  return [subnav('list'), said, h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'campaign-list' },
    h('caption', {}, t('campaigns')),
    h('thead', {}, h('tr', {}, [t('name'), t('checklist'), t('dates'), t('branches'), t('assignmentsCol'), t('approvedCol')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, campaigns.map((c) => h('tr', { 'data-id': c.id },
      h('th', { scope: 'row' }, h('a', { href: `#/qa/campaigns/${c.id}` }, h('bdi', {}, c.name))),
      h('td', {}, title(c.checklist), ' · ', h('bdi', {}, t('versionShort', c.checklist.version))),
      h('td', {}, h('bdi', {}, `${day(c.starts_on)} – ${day(c.ends_on)}`)),
      h('td', {}, num(c.branch_ids.length)),
      h('td', {}, num(total(c))),
      h('td', {}, num(c.assignments.approved || 0)))))))];
}

// ---------------------------------------------------------------------------------------------
// A new campaign.

const CODE_MAX = 64;
const BRIEF_MAX = 2000;

function scenarioRow(list, n) {
  const i = list.children.length;
  const id = `sc-${n}`;
  const code = h('input', { type: 'text', id: `${id}-code`, class: 'sc-code', maxlength: CODE_MAX, dir: 'ltr', autocomplete: 'off', spellcheck: 'false', 'data-path': `/scenarios/${i}/code` });
  const en = h('textarea', { id: `${id}-en`, class: 'sc-en', rows: 3, maxlength: BRIEF_MAX, lang: 'en', dir: 'ltr', 'data-path': `/scenarios/${i}/brief/en` });
  const ar = h('textarea', { id: `${id}-ar`, class: 'sc-ar', rows: 3, maxlength: BRIEF_MAX, lang: 'ar', dir: 'rtl', 'data-path': `/scenarios/${i}/brief/ar` });
  const row = h('fieldset', { class: 'scenario' },
    h('legend', {}, t('scenarioN', i + 1)),
    field(t('scenarioCode'), code, t('codeHint')),
    h('div', { class: 'pair' }, field(t('briefAr'), ar), field(t('briefEn'), en)),
    h('button', { type: 'button', class: 'small remove-scenario', onclick: () => { row.remove(); renumber(list); } }, t('removeScenario')));
  list.append(row);
  return row;
}

/** After a scenario is removed: legends and the paths of the server's problems follow the new order. */
function renumber(list) {
  [...list.children].forEach((row, i) => {
    row.querySelector('legend').textContent = t('scenarioN', i + 1);
    row.querySelector('.sc-code').dataset.path = `/scenarios/${i}/code`;
    row.querySelector('.sc-en').dataset.path = `/scenarios/${i}/brief/en`;
    row.querySelector('.sc-ar').dataset.path = `/scenarios/${i}/brief/ar`;
  });
}

/**
 * Branches grouped by region, each group with "whole region"; a team filter keeps to branches
 * that have a team of that code. Returns the element and a function giving the chosen ids.
 */
function branchPicker(branches, regions, teams) {
  const teamCodes = new Map();
  const teamsOf = new Map();
  for (const tm of teams) {
    if (!teamCodes.has(tm.code)) teamCodes.set(tm.code, tm.names);
    if (!teamsOf.has(tm.branch_id)) teamsOf.set(tm.branch_id, new Set());
    teamsOf.get(tm.branch_id).add(tm.code);
  }
  const count = h('p', { class: 'count-line', id: 'branch-count', role: 'status', 'aria-live': 'polite' });
  const boxes = [];
  const groups = [];
  const update = () => {
    for (const g of groups) {
      const shown = g.boxes.filter((b) => !b.disabled);
      const on = shown.filter((b) => b.checked).length;
      g.all.checked = shown.length > 0 && on === shown.length;
      g.all.indeterminate = on > 0 && on < shown.length;
      g.all.disabled = shown.length === 0;
      g.tally.textContent = t('selectedOf', on, shown.length);
    }
    count.textContent = t('branchesSelected', boxes.filter((b) => b.checked && !b.disabled).length);
  };
  const team = h('select', { id: 'c-team' }, h('option', { value: '' }, t('anyTeam')),
    [...teamCodes].sort(([a], [b]) => a.localeCompare(b)).map(([code, names]) => h('option', { value: code }, named(names, code))));
  team.addEventListener('change', () => {
    for (const b of boxes) {
      const has = !team.value || teamsOf.get(b.value)?.has(team.value);
      b.disabled = !has;
      if (!has) b.checked = false;
      b.closest('li').classList.toggle('muted', !has);
    }
    update();
  });
  const byRegion = new Map(regions.map((r) => [r.id, []]));
  for (const b of branches) {
    if (!byRegion.has(b.region_id)) byRegion.set(b.region_id, []);
    byRegion.get(b.region_id).push(b);
  }
  const regionName = new Map(regions.map((r) => [r.id, named(r.names, r.code)]));
  const fieldsets = [...byRegion].filter(([, list]) => list.length).map(([rid, list]) => {
    const gid = `region-${rid}`;
    const all = h('input', { type: 'checkbox', id: `${gid}-all`, class: 'whole-region' });
    const tally = h('span', { class: 'meta tally' });
    const g = { all, tally, boxes: [] };
    const items = list.sort((a, b) => a.code.localeCompare(b.code)).map((b) => {
      const box = h('input', { type: 'checkbox', id: `branch-${b.id}`, value: b.id, 'data-code': b.code, onchange: update });
      boxes.push(box);
      g.boxes.push(box);
      return h('li', {}, box, h('label', { for: box.id }, h('bdi', { dir: 'ltr' }, b.code), ' · ', h('bdi', {}, tx(b.names))));
    });
    all.addEventListener('change', () => { for (const b of g.boxes) if (!b.disabled) b.checked = all.checked; update(); });
    groups.push(g);
    return h('fieldset', { class: 'region-group', 'data-region': regions.find((r) => r.id === rid)?.code || '' },
      h('legend', {}, h('bdi', {}, regionName.get(rid) || rid), ' ', tally),
      h('p', { class: 'whole' }, all, h('label', { for: all.id }, t('wholeRegion'))),
      h('ul', { class: 'branch-boxes' }, items));
  });
  update();
  const el = h('fieldset', { class: 'branch-picker', 'data-path': '/branch_ids', tabindex: '-1' }, h('legend', {}, t('branches')),
    teamCodes.size ? field(t('onlyWithTeam'), team, t('teamHint')) : null,
    fieldsets.length ? fieldsets : message(t('noBranches')), count);
  return { el, chosen: () => boxes.filter((b) => b.checked && !b.disabled).map((b) => b.value), codeOf: new Map(branches.map((b) => [b.id, b.code])) };
}

async function newView() {
  const [checklists, branches, regions, teams] = await Promise.all([
    get('/api/v1/checklists'), get('/api/v1/branches'), get('/api/v1/regions').catch(() => []), get('/api/v1/teams').catch(() => [])]);
  const published = checklists.filter((c) => c.latest_published_version);
  if (!published.length) return [subnav('new'), message(t('publishFirst'), 'error')];
  const name = h('input', { type: 'text', id: 'c-name', required: true, maxlength: 200, 'data-path': '/name' });
  const cl = h('select', { id: 'c-checklist', 'data-path': '/checklist' }, published.map((c) => h('option', { value: `${c.key}@${c.latest_published_version}` }, `${tx(c.title)} · ${t('versionShort', c.latest_published_version)}`)));
  const starts = h('input', { type: 'date', id: 'c-start', required: true, 'data-path': '/starts_on' });
  const ends = h('input', { type: 'date', id: 'c-end', required: true, 'data-path': '/ends_on' });
  const per = h('input', { type: 'number', id: 'c-per', min: 1, max: 100, step: 1, value: 1, required: true, 'data-path': '/visits_per_branch' });
  const scenarios = h('div', { class: 'scenarios', id: 'scenarios' });
  let made = 0;
  const addScenario = () => { made += 1; const row = scenarioRow(scenarios, made); row.querySelector('input').focus(); };
  const picker = branchPicker(branches, regions, teams);
  const out = h('div', { 'aria-live': 'polite', id: 'campaign-out' });
  const submit = h('button', { class: 'btn', type: 'submit', id: 'create-campaign' }, t('createAndAssign'));
  const label = (path) => {
    const m = /^\/scenarios\/(\d+)/.exec(path);
    if (m) return t('scenarioN', +m[1] + 1);
    if (path.startsWith('/branch_ids')) return t('branches');
    return path;
  };
  const form = h('form', {
    class: 'admin-form planning-form', id: 'campaign-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const [key, version] = cl.value.split('@');
      const list = [...scenarios.children].map((row) => {
        const brief = {};
        for (const l of ['en', 'ar']) { const v = row.querySelector(`.sc-${l}`).value.trim(); if (v) brief[l] = v; }
        return { code: row.querySelector('.sc-code').value.trim(), brief };
      });
      submit.disabled = true;
      out.replaceChildren(message(t('saving')));
      let c;
      try {
        c = await api('POST', '/api/v1/campaigns', { body: { name: name.value.trim(), checklist: { key, version: +version }, starts_on: starts.value, ends_on: ends.value, branch_ids: picker.chosen(), visits_per_branch: +per.value, scenarios: list } });
      } catch (x) {
        submit.disabled = false;
        showProblems(form, out, x, label);
        return;
      }
      try {
        const r = await api('POST', `/api/v1/campaigns/${c.id}/assignments`, { body: {} });
        form.replaceWith(assignResult(c, r, picker.codeOf));
      } catch (x) {
        // The campaign is stored; its page offers the assignment again.
        form.replaceWith(h('section', { class: 'panel' }, message(`${t('campaignSaved')} ${failText(x)}`, 'error'), h('p', {}, h('a', { class: 'btn', href: `#/qa/campaigns/${c.id}` }, t('openBoard')))));
      }
    },
  },
  h('h2', {}, t('newCampaign')),
  field(t('name'), name),
  field(t('checklist'), cl, t('publishedOnly')),
  h('fieldset', { class: 'pair' }, h('legend', {}, t('dates')), field(t('startsOn'), starts), field(t('endsOn'), ends)),
  field(t('visitsPerBranch'), per, t('visitsPerBranchHint')),
  h('fieldset', { class: 'scenario-list' }, h('legend', {}, t('scenarios')), h('p', { class: 'hint' }, t('scenariosHint')), scenarios,
    h('button', { type: 'button', class: 'small', id: 'add-scenario', onclick: addScenario }, t('addScenario'))),
  picker.el,
  out,
  h('div', { class: 'toolbar' }, submit));
  checkRequired(form);
  return [subnav('new'), form];
}

/** What the assignment run did: how many were assigned, and each visit it could not staff with the reason. */
function assignResult(c, r, codeOf) {
  return h('section', { class: 'panel', id: 'assign-result' },
    h('h2', {}, h('bdi', {}, c.name)),
    h('ul', { class: 'counts' }, h('li', { id: 'assigned-count' }, t('assignedN', r.created.length)), h('li', { id: 'unfilled-count' }, t('unfilledN', r.unfilled.length))),
    r.unfilled.length ? h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'unfilled' }, h('caption', {}, t('unfilledCaption')),
      h('thead', {}, h('tr', {}, [t('branch'), t('windowFrom'), t('reason')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, r.unfilled.map((u) => h('tr', {}, h('td', {}, h('bdi', { dir: 'ltr' }, codeOf.get(u.branch_id) || u.branch_id)), h('td', {}, date(u.window_start)), h('td', {}, h('bdi', {}, u.reason))))))) : null,
    h('p', { class: 'actions' }, h('a', { class: 'btn', href: `#/qa/campaigns/${c.id}`, id: 'open-board' }, t('openBoard'))));
}

// ---------------------------------------------------------------------------------------------
// One campaign: facts, scenarios, the board, assignments with reassignment, a single assignment.

function countCells(line, statuses) {
  return statuses.map((s) => h('td', { 'data-status': s, class: 'num-cell' }, num(line.counts[s] || 0)));
}

function boardTable(id, caption, lines, statuses, head) {
  return h('div', { class: 'scroll' }, h('table', { class: 'grid board', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, head), statuses.map((s) => h('th', { scope: 'col' }, t(`status_${s}`))), h('th', { scope: 'col' }, t('overdue')))),
    h('tbody', {}, lines.map((l) => h('tr', { 'data-key': l.key, class: l.overdue ? 'overdue' : null },
      h('th', { scope: 'row' }, l.label), countCells(l, statuses),
      h('td', { 'data-status': 'overdue', class: 'num-cell' }, l.overdue ? h('span', { class: 'pill overdue' }, t('overdueN', l.overdue)) : num(0)))))));
}

function board(p) {
  const present = new Set([p.totals, ...p.branches, ...p.shoppers].flatMap((l) => Object.keys(l.counts)));
  const statuses = [...MAIN, ...OTHER.filter((s) => present.has(s))];
  const branchLines = p.branches.map((b) => ({ ...b, key: b.code, label: [h('bdi', { dir: 'ltr' }, b.code), ' · ', h('bdi', {}, tx(b.names))] }));
  const shopperLines = p.shoppers.map((s) => ({ ...s, key: s.shopper_id, label: h('bdi', {}, s.name) }));
  return h('section', { class: 'panel', id: 'board', 'data-as-of': p.as_of },
    h('h2', {}, t('progressBoard')),
    h('ul', { class: 'counts', id: 'board-totals' }, statuses.map((s) => h('li', { 'data-status': s }, `${t(`status_${s}`)}: ${num(p.totals.counts[s] || 0)}`)),
      h('li', { 'data-status': 'overdue', class: p.totals.overdue ? 'overdue' : null }, `${t('overdue')}: ${num(p.totals.overdue)}`)),
    h('p', { class: 'hint' }, t('overdueHint'), ' ', t('asOf', dateTime(p.as_of)), ' ',
      h('button', { type: 'button', class: 'small', id: 'board-refresh', onclick: reload }, t('countAgain'))),
    boardTable('board-branches', t('byBranch'), branchLines, statuses, t('branch')),
    shopperLines.length ? boardTable('board-shoppers', t('byShopper'), shopperLines, statuses, t('shopper')) : h('p', { class: 'meta' }, t('noAssignmentsYet')));
}

function reassignControl(a, shoppers, out) {
  const id = `re-${a.id}`;
  const pick = h('select', { id, 'aria-label': t('reassignTo', a.branch.code) }, h('option', { value: '' }, t('chooseShopper')),
    shoppers.filter((s) => s.id !== a.shopper?.id).map((s) => h('option', { value: s.id }, s.name)));
  const go = h('button', { type: 'button', class: 'small reassign' }, t('reassign'));
  go.addEventListener('click', async () => {
    if (!pick.value) { pick.focus(); out.replaceChildren(message(t('chooseShopperFirst'), 'error')); return; }
    go.disabled = true;
    try {
      const n = await api('POST', `/api/v1/assignments/${a.id}/reassign`, { body: { shopper_id: pick.value } });
      flash = t('reassignedTo', a.branch.code, n.shopper?.name || '');
      reload();
    } catch (e) { go.disabled = false; out.replaceChildren(message(e.details?.length ? e.details.map((d) => d.problem).join('; ') : failText(e), 'error')); }
  });
  return h('span', { class: 'reassign-control' }, pick, go);
}

function assignmentsTable(list, shoppers, out) {
  const now = Date.now();
  return h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'campaign-assignments' },
    h('caption', { class: 'visually-hidden' }, t('assignmentsCol')),
    h('thead', {}, h('tr', {}, [t('branch'), t('shopper'), t('window'), t('scenario'), t('status'), t('actionsCol')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, list.map((a) => {
      const late = OVERDUE.includes(a.status) && new Date(a.window.end).getTime() < now;
      const cancel = async () => {
        if (!(await confirmDialog(t('withdrawQ', a.branch.code, a.shopper?.name || ''), t('withdraw'), t('cancelAction')))) return;
        try { await api('DELETE', `/api/v1/assignments/${a.id}`); flash = t('withdrawn', a.branch.code); reload(); } catch (e) { out.replaceChildren(message(failText(e), 'error')); }
      };
      return h('tr', { 'data-id': a.id, 'data-status': a.status, class: late ? 'overdue' : null },
        h('td', {}, h('bdi', { dir: 'ltr' }, a.branch.code), ' · ', h('bdi', {}, tx(a.branch.names))),
        h('td', { class: 'who' }, h('bdi', {}, a.shopper?.name || '—')),
        h('td', {}, h('bdi', {}, `${dateTime(a.window.start)} – ${windowEnd(a.window.end)}`)),
        h('td', {}, a.scenario ? h('bdi', { dir: 'ltr' }, a.scenario) : '—'),
        h('td', {}, h('span', { class: `pill ${a.status}` }, t(`status_${a.status}`)), late ? h('span', { class: 'pill overdue' }, t('overdue')) : null),
        h('td', {}, MOVABLE.includes(a.status) ? [reassignControl(a, shoppers, out), ' ', h('button', { type: 'button', class: 'small withdraw', onclick: cancel }, t('withdraw'))] : null));
    }))));
}

/** `YYYY-MM-DDTHH:MM` for a datetime-local input, from a date and an hour. */
const localInput = (day, hour) => `${day}T${String(hour).padStart(2, '0')}:00`;

function singleForm(c, shoppers, branches, teams) {
  const inScope = branches.filter((b) => c.branch_ids.includes(b.id)).sort((a, b) => a.code.localeCompare(b.code));
  const branch = h('select', { id: 'sa-branch', required: true, 'data-path': '/branch_id' }, h('option', { value: '' }, t('chooseBranch')),
    inScope.map((b) => h('option', { value: b.id }, `${b.code} · ${tx(b.names)}`)));
  const team = h('select', { id: 'sa-team', 'data-path': '/team_id' }, h('option', { value: '' }, t('wholeBranch')));
  branch.addEventListener('change', () => {
    team.replaceChildren(h('option', { value: '' }, t('wholeBranch')), teams.filter((tm) => tm.branch_id === branch.value).map((tm) => h('option', { value: tm.id }, named(tm.names, tm.code))));
  });
  const shopper = h('select', { id: 'sa-shopper', required: true, 'data-path': '/shopper_id' }, h('option', { value: '' }, t('chooseShopper')), shoppers.map((s) => h('option', { value: s.id }, s.name)));
  const from = h('input', { type: 'datetime-local', id: 'sa-start', required: true, value: localInput(c.starts_on, 9), 'data-path': '/window_start' });
  const until = h('input', { type: 'datetime-local', id: 'sa-end', required: true, value: localInput(c.ends_on, 17), 'data-path': '/window_end' });
  const scenario = h('select', { id: 'sa-scenario', 'data-path': '/scenario' }, h('option', { value: '' }, t('noScenario')), c.scenarios.map((s) => h('option', { value: s }, s)));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', {
    class: 'admin-form', id: 'single-assignment',
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        const a = await api('POST', '/api/v1/assignments', { body: {
          shopper_id: shopper.value, branch_id: branch.value, team_id: team.value || null, checklist: c.checklist,
          window_start: new Date(from.value).toISOString(), window_end: new Date(until.value).toISOString(),
          scenario: scenario.value || null, campaign_id: c.id } });
        flash = t('assignedTo', a.branch.code, a.shopper?.name || '');
        reload();
      } catch (x) { showProblems(form, out, x, (p) => p); }
    },
  }, h('h2', {}, t('singleAssignment')),
  h('div', { class: 'pair' }, field(t('branch'), branch), field(t('team'), team)),
  field(t('shopper'), shopper),
  h('fieldset', { class: 'pair' }, h('legend', {}, t('window')), field(t('windowFrom'), from), field(t('windowUntil'), until)),
  field(t('scenario'), scenario), out,
  h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'submit' }, t('assign'))));
  checkRequired(form);
  return form;
}

async function campaignView(id) {
  const [c, p, list, shoppers, branches, teams, checklists] = await Promise.all([
    get(`/api/v1/campaigns/${id}`), get(`/api/v1/campaigns/${id}/progress`), get(`/api/v1/assignments?campaign_id=${encodeURIComponent(id)}`),
    get('/api/v1/shoppers'), get('/api/v1/branches'), get('/api/v1/teams').catch(() => []), get('/api/v1/checklists').catch(() => [])]);
  const title = tx(checklists.find((x) => x.key === c.checklist.key)?.title) || c.checklist.key;
  const out = h('div', { 'aria-live': 'polite', id: 'assignments-out' });
  const none = !list.length;
  // Visits no live assignment holds (never assigned, declined, withdrawn): the run fills only these.
  const held = list.filter((a) => !['declined', 'cancelled'].includes(a.status)).length;
  const open = Math.max(0, c.branch_ids.length * c.visits_per_branch - held);
  const runAll = async (e) => {
    e.currentTarget.disabled = true;
    try {
      const r = await api('POST', `/api/v1/campaigns/${c.id}/assignments`, { body: {} });
      flash = `${t('assignedN', r.created.length)} · ${t('unfilledN', r.unfilled.length)}`;
      reload();
    } catch (x) { out.replaceChildren(message(failText(x), 'error')); }
  };
  return [subnav(null), flashLine(),
    h('section', { class: 'panel', id: 'campaign-facts' }, h('h2', {}, h('bdi', {}, c.name)),
      h('dl', { class: 'facts' },
        h('dt', {}, t('checklist')), h('dd', {}, title, ' · ', h('bdi', {}, t('versionShort', c.checklist.version))),
        h('dt', {}, t('dates')), h('dd', {}, h('bdi', {}, `${day(c.starts_on)} – ${day(c.ends_on)}`)),
        h('dt', {}, t('visitsPerBranch')), h('dd', {}, num(c.visits_per_branch)),
        h('dt', {}, t('branches')), h('dd', {}, num(c.branch_ids.length))),
      c.scenarios.length ? [h('h3', {}, t('scenarios')), h('ul', { class: 'scenario-briefs', id: 'scenario-briefs' }, c.scenarios.map((s) => {
        const b = c.scenario_briefs[s];
        return h('li', { 'data-code': s }, h('strong', {}, h('bdi', { dir: 'ltr' }, s)),
          b ? h('div', { class: 'brief-pair' }, h('p', { lang: 'ar', dir: 'rtl' }, b.ar), h('p', { lang: 'en', dir: 'ltr' }, b.en)) : h('p', { class: 'meta' }, t('noBrief')));
      }))] : null,
      open ? h('p', { class: 'toolbar' }, h('button', { class: 'btn', type: 'button', id: 'assign-all', onclick: runAll }, none ? t('assignAll') : t('fillOpen', open))) : null),
    board(p),
    h('section', { class: 'panel' }, h('h2', {}, t('assignmentsCol')), out, none ? message(t('noAssignmentsYet')) : assignmentsTable(list, shoppers, out)),
    singleForm(c, shoppers, branches, teams)];
}

// ---------------------------------------------------------------------------------------------
// Rotation rules and shopper bars.

async function rotationView(shopperId) {
  const [rule, shoppers, branches] = await Promise.all([get('/api/v1/rotation'), get('/api/v1/shoppers'), get('/api/v1/branches')]);
  const days = h('input', { type: 'number', id: 'revisit-days', min: 0, max: 3650, step: 1, value: rule.revisit_days, required: true, 'data-path': '/revisit_days' });
  const ruleOut = h('div', { 'aria-live': 'polite' });
  const ruleForm = h('form', {
    class: 'admin-form', id: 'rotation-form',
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        const r = await api('PUT', '/api/v1/rotation', { body: { revisit_days: +days.value } });
        ruleOut.replaceChildren(message(t('rotationSaved', r.revisit_days), 'ok'));
      } catch (x) { showProblems(ruleForm, ruleOut, x, (p) => p); }
    },
  }, h('h2', {}, t('rotationRules')), field(t('revisitDays'), days, t('revisitHint')), ruleOut,
  h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'submit' }, t('save'))));
  checkRequired(ruleForm);

  const chosen = shoppers.some((s) => s.id === shopperId) ? shopperId : '';
  const who = h('select', { id: 'bar-shopper' }, h('option', { value: '' }, t('chooseShopper')), shoppers.map((s) => h('option', { value: s.id, selected: s.id === chosen }, s.name)));
  who.addEventListener('change', () => { location.hash = who.value ? `#/qa/rotation/${who.value}` : '#/qa/rotation'; });
  const bars = h('section', { class: 'admin-form', id: 'bars' }, h('h2', {}, t('shopperBars')), h('p', { class: 'hint' }, t('barsHint')), field(t('shopper'), who));
  if (chosen) {
    const list = await get(`/api/v1/shoppers/${chosen}/bars`);
    const byId = new Map(branches.map((b) => [b.id, b]));
    const out = h('div', { 'aria-live': 'polite' });
    const lift = async (bar) => {
      const b = byId.get(bar.branch_id);
      if (!(await confirmDialog(t('liftQ', b?.code || bar.branch_id), t('lift'), t('cancelAction')))) return;
      try { await api('DELETE', `/api/v1/shoppers/${chosen}/bars/${bar.branch_id}`); flash = t('barLifted', b?.code || ''); reload(); } catch (x) { out.replaceChildren(message(failText(x), 'error')); }
    };
    bars.append(list.length ? h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'bar-list' }, h('caption', {}, t('barredFrom')),
      h('thead', {}, h('tr', {}, [t('branch'), t('reason'), t('since'), t('actionsCol')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, list.map((bar) => {
        const b = byId.get(bar.branch_id);
        return h('tr', { 'data-branch': b?.code || bar.branch_id },
          h('td', {}, b ? [h('bdi', { dir: 'ltr' }, b.code), ' · ', h('bdi', {}, tx(b.names))] : bar.branch_id),
          h('td', {}, h('bdi', {}, bar.reason)), h('td', {}, date(bar.created_at)),
          h('td', {}, h('button', { type: 'button', class: 'small lift', onclick: () => lift(bar) }, t('lift'))));
      })))) : message(t('noBars')), out);
    const barred = new Set(list.map((x) => x.branch_id));
    const branch = h('select', { id: 'bar-branch', required: true, 'data-path': '/branch_id' }, h('option', { value: '' }, t('chooseBranch')),
      [...branches].sort((a, b) => a.code.localeCompare(b.code)).filter((b) => !barred.has(b.id)).map((b) => h('option', { value: b.id }, `${b.code} · ${tx(b.names)}`)));
    const reason = h('input', { type: 'text', id: 'bar-reason', required: true, maxlength: 500, 'data-path': '/reason' });
    const addOut = h('div', { 'aria-live': 'polite' });
    const add = h('form', {
      id: 'bar-form',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          await api('POST', `/api/v1/shoppers/${chosen}/bars`, { body: { branch_id: branch.value, reason: reason.value.trim() } });
          flash = t('barAdded', byId.get(branch.value)?.code || '');
          reload();
        } catch (x) { showProblems(add, addOut, x, (p) => p); }
      },
    }, h('h3', {}, t('addBar')), field(t('branch'), branch), field(t('reason'), reason, t('barReasonHint')), addOut,
    h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'submit' }, t('addBar'))));
    checkRequired(add);
    bars.append(add);
  }
  return [subnav('rotation'), flashLine(), ruleForm, bars];
}

/** A name and its code, the code once when they are the same (imported teams are named by key). */
const named = (names, code) => {
  const name = tx(names);
  return name && name !== code ? `${name} (${code})` : code;
};

/** The body of planning screen `name` (`campaigns` with an optional id or `new`, `rotation` with an optional shopper id). */
export async function planningView(name, id) {
  if (name === 'rotation') return rotationView(id);
  if (id === 'new') return newView();
  if (id) return campaignView(id);
  return listView();
}
