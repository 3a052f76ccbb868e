// QA's screens: the review queue (approve, or return with per-item comments), checklist upload
// with the server's validation problems shown at their items and a phone-frame preview in both
// languages, publishing, campaign planning (campaigns.js), shopper severity and calibration agreement, and
// dispute resolution.

import { api, get, OfflineError } from './api.js';
import { date, dateTime, lang, num, pct, t, tx } from './i18n.js';
import { answerWords, itemScore, preview } from './checklist.js';
import { confirmDialog, filePicker, h, message, photoViewer, saveBlob } from './ui.js';
import { exportsView } from './dataout.js';

const TABS = ['reviews', 'checklists', 'campaigns', 'severity', 'disputes', 'exports'];
const TAB_LABEL = { reviews: 'reviewQueue', checklists: 'checklists', campaigns: 'campaigns', severity: 'severity', disputes: 'disputes', exports: 'adminExports' };

function tabs(current) {
  return h('nav', { class: 'tabs', 'aria-label': t('home') }, TABS.map((k) => h('a', { href: `#/qa/${k}`, 'aria-current': k === current ? 'page' : null }, t(TAB_LABEL[k]))),
    // The organisation's league table and trend (the managers' view, for every branch).
    h('a', { href: '#/league' }, t('league')));
}
const reload = () => window.dispatchEvent(new Event('hashchange'));
const problemsOf = (e) => (e.details?.length ? e.details.map((d) => `${d.path}: ${d.problem}`).join('; ') : e.message);
/** A status word ("draft", "open", "approved") in the reader's language, never the stored value. */
export const statusWord = (s) => t(`status_${s}`);

const titles = new Map();
/** Checklist key → its title in each language (the queue and disputes name checklists by key). */
async function checklistTitles() {
  if (!titles.size) for (const c of await get('/api/v1/checklists').catch(() => [])) titles.set(c.key, c.title);
  return titles;
}
const versions = new Map();
/** One checklist version's document (for item texts and option words), asked once. */
function checklistVersion(ref) {
  const k = `${ref.key}@${ref.version}`;
  if (!versions.has(k)) versions.set(k, get(`/api/v1/checklists/${encodeURIComponent(ref.key)}/versions/${ref.version}`).then((v) => v.document, () => null));
  return versions.get(k);
}
const findItem = (doc, key) => (doc?.sections || []).flatMap((s) => s.items || []).find((i) => i.key === key) || null;

async function reviewsView() {
  const [queue, names, branches] = await Promise.all([get('/api/v1/reviews'), checklistTitles(), get('/api/v1/branches').catch(() => [])]);
  const said = flashLine();
  if (!queue.length) return [said, message(t('emptyQueue'))];
  const branchName = new Map(branches.map((b) => [b.code, tx(b.names)]));
  // The branch by its name and code, the checklist by its title in the reader's language (its
  // key is for machines), its version set apart.
  return [said, h('ul', { class: 'cards' }, queue.map((q) => h('li', { class: 'card', 'data-visit': q.visit_id },
    h('h2', {}, branchName.get(q.branch_code) ? [h('bdi', {}, branchName.get(q.branch_code)), ' '] : null, h('bdi', { class: 'code' }, `(${q.branch_code})`)),
    h('p', {}, h('span', { class: 'checklist-title' }, tx(names.get(q.checklist_key)) || q.checklist_key), ' · ', h('bdi', {}, t('versionShort', q.checklist_version))),
    h('p', { class: 'meta' }, `${t('shopper')}: `, h('bdi', {}, q.shopper_name), ` · ${t('revision')} ${num(q.revision)} · ${dateTime(q.submitted_at)}`),
    q.flags.length ? h('ul', { class: 'problems' }, q.flags.map((f) => h('li', {}, h('bdi', {}, f.message)))) : h('p', { class: 'meta' }, t('noFlags')),
    h('p', { class: 'actions' }, h('a', { class: 'btn', href: `#/qa/review/${q.visit_id}` }, t('review'))))))];
}

const answerText = answerWords;

/** Metres between two {lat, lon} points (haversine). */
function metresBetween(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const x = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.sqrt(x));
}

/** The visit's facts QA judges it by: where, when, how long, which scenario. */
function visitFacts(visit, assignment) {
  const branch = assignment?.branch;
  const where = visit.location && branch?.location ? metresBetween(visit.location, branch.location) : null;
  const facts = [
    [t('branch'), branch ? `${tx(branch.names)} (${branch.code})` : '—'],
    [t('scenario'), assignment?.scenario || '—'],
    [t('checkedIn'), dateTime(visit.checked_in_at)],
    [t('fromBranch'), where === null ? t('noLocation') : where < 1000 ? t('metres', Math.round(where)) : t('kilometres', Math.round(where / 100) / 10)],
    [t('duration'), visit.duration_s == null ? '—' : t('minutes', Math.round(visit.duration_s / 6) / 10)],
    [t('revision'), num(visit.revision)],
  ];
  return h('dl', { class: 'facts', id: 'visit-facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, h('bdi', {}, v))]));
}

/** Thumbnails of a visit's photos for one item, each opening full screen. */
function photoStrip(refs) {
  if (!refs.length) return null;
  const list = h('ul', { class: 'thumbs review-photos', 'aria-label': t('photos') });
  refs.forEach((ref, i) => {
    const img = h('img', { alt: `${t('viewPhoto')} ${num(i + 1)}` });
    const li = h('li', { 'data-ref': ref }, h('button', { type: 'button', class: 'thumb-btn', onclick: () => photoViewer(img.src || null) }, img));
    // Attachments need the reviewer's token: fetched as blobs, shown from object URLs.
    api('GET', `/api/v1/attachments/${encodeURIComponent(ref)}`, { blob: true })
      .then((blob) => { img.src = URL.createObjectURL(blob); })
      .catch((e) => { li.replaceChildren(h('span', { class: 'meta' }, t(e instanceof OfflineError ? 'photoUnavailable' : 'photoMissing'))); });
    list.append(li);
  });
  return list;
}

/** What happened last on a decision screen, said on the list it returns to (then forgotten). */
let flash = null;
const flashLine = () => {
  const text = flash;
  flash = null;
  return text ? h('p', { class: 'msg ok status-line', role: 'status', id: 'decision-status' }, text) : null;
};

/** Metres from the branch of a {location} (a visit or one of its revisions), or null. */
const distanceOf = (x, branch) => (x?.location && branch?.location ? metresBetween(x.location, branch.location) : null);
const distanceWords = (m) => (m === null ? t('noLocation') : m < 1000 ? t('metres', Math.round(m)) : t('kilometres', Math.round(m / 100) / 10));
const durationWords = (s) => (s == null ? '—' : t('minutes', Math.round(s / 6) / 10));

/**
 * The returned revision against this one: where the shopper checked in (distance from the
 * branch), how long the visit took, and the flags — one that is gone says so.
 */
function comparison(visit, before, branch) {
  const now = visit.flags || [];
  const was = before.flags || [];
  const flagCell = (list, other, gone) => (list.length ? h('ul', {}, list.map((f) => h('li', { 'data-code': f.code }, h('bdi', {}, f.message),
    !other.some((o) => o.code === f.code) ? [' ', h('span', { class: `pill ${gone ? 'done' : 'bad'}` }, t(gone ? 'flagGone' : 'flagNew'))] : null))) : t('noFlagsShort'));
  const row = (label, a, b, key) => [h('div', { class: 'label' }, label), h('div', { 'data-before': key }, a), h('div', { 'data-now': key }, b)];
  return h('section', { class: 'panel', id: 'compare' }, h('h2', {}, t('comparedWith', visit.revision, before.revision)),
    h('div', { class: 'compare' },
      h('div', {}), h('div', { class: 'head' }, t('beforeCol')), h('div', { class: 'head' }, t('nowCol')),
      row(t('fromBranch'), h('bdi', {}, distanceWords(distanceOf(before, branch))), h('bdi', {}, distanceWords(distanceOf(visit, branch))), 'distance'),
      row(t('duration'), h('bdi', {}, durationWords(before.duration_s)), h('bdi', {}, durationWords(visit.duration_s)), 'duration')),
    // Flags are sentences: stacked at full width, before then now (two narrow columns broke them
    // a word to a line).
    h('div', { class: 'compare-flags' },
      h('h3', {}, `${t('flags')} · ${t('beforeCol')}`), h('div', { 'data-before': 'flags' }, flagCell(was, now, true)),
      h('h3', {}, `${t('flags')} · ${t('nowCol')}`), h('div', { 'data-now': 'flags' }, flagCell(now, was, false))));
}

async function reviewOne(visitId) {
  const visit = await get(`/api/v1/visits/${visitId}`);
  const [checklist, assignment, uploads, revisions] = await Promise.all([
    get(`/api/v1/checklists/${visit.checklist.key}/versions/${visit.checklist.version}`),
    get(`/api/v1/assignments/${visit.assignment_id}`).catch(() => null),
    get(`/api/v1/assignments/${visit.assignment_id}/attachments`).catch(() => []),
    visit.revision > 1 ? get(`/api/v1/visits/${visitId}/revisions`).catch(() => []) : [],
  ]);
  const doc = checklist.document;
  const branch = assignment?.branch;
  const branchCode = branch?.code || '';
  // What changed since the revision QA returned: the answers that differ, with the old one.
  const before = revisions.length > 1 ? revisions[revisions.length - 2] : null;
  // An item changed when its answer did, or the evidence photos behind it (kept per revision).
  const evidenceOf = (v, key) => (v?.evidence && v.evidence[key]) || [];
  const changed = (key) => before && (JSON.stringify(before.answers[key]) !== JSON.stringify(visit.answers[key])
    || (Object.keys(before.evidence || {}).length > 0 && JSON.stringify(evidenceOf(before, key)) !== JSON.stringify(evidenceOf(visit, key))));
  // What QA said when returning that revision: the note and the comments at their items.
  const returned = before ? (visit.reviews || []).find((r) => r.decision === 'returned' && r.revision === before.revision) : null;
  const photoRefs = (item, answers) => (item.type === 'photo' && Array.isArray(answers[item.key]) ? answers[item.key] : []);
  // The photos the visit names: a photo item's answer, else the evidence its submission named
  // (never every upload of the assignment: a photo the shopper deleted or left out is not one).
  const photosOf = (item) => {
    if (item.type === 'photo') return photoRefs(item, visit.answers);
    if (visit.evidence) return evidenceOf(visit, item.key);
    return uploads.filter((u) => u.item === item.key).map((u) => u.id);
  };
  const comments = {};
  const note = h('textarea', { id: 'return-note', name: 'note', rows: 3, maxlength: 10000 });
  const err = h('div', { 'aria-live': 'polite', id: 'decision-error' });
  // A message asking for the reason goes once the reason is being typed.
  note.addEventListener('input', () => { if (note.value.trim()) err.replaceChildren(); });
  let failedCount = 0;
  const sections = (doc.sections || []).map((section) => {
    const rows = section.items.filter((item) => item.type !== 'note' && visit.answers[item.key] !== undefined).map((item) => {
      const score = itemScore(item, visit.answers[item.key]);
      const failed = score !== null && !Number.isNaN(score) && score < 1;
      if (failed) failedCount += 1;
      const boxId = `qa-comment-${item.key}`;
      const box = h('textarea', { rows: 2, id: boxId, name: `qa-${item.key}`, maxlength: 10000, hidden: true, 'aria-label': `${t('itemComment')}: ${tx(item.text)}`, oninput: (e) => { comments[item.key] = e.target.value; } });
      // A real button that opens the comment box (a summary line read as plain text).
      const toggle = h('button', {
        type: 'button', class: 'small item-comment', 'aria-expanded': 'false', 'aria-controls': boxId,
        onclick: () => { const open = box.hidden; box.hidden = !open; toggle.setAttribute('aria-expanded', String(open)); if (open) box.focus(); },
      }, t('itemComment'));
      const now = new Set(photosOf(item));
      const oldPhotos = changed(item.key)
        ? (item.type === 'photo' ? photoRefs(item, before.answers) : evidenceOf(before, item.key)).filter((ref) => !now.has(ref))
        : [];
      const said = returned?.item_comments?.[item.key];
      return h('li', { class: `card${changed(item.key) ? ' changed' : ''}${failed ? ' failed' : ''}${failed && item.critical ? ' critical' : ''}`, id: `review-${item.key}`, 'data-key': item.key, 'data-target-item': item.key, 'data-failed': failed ? 'true' : null, tabindex: '-1' },
        h('p', {}, h('strong', {}, tx(item.text)), ' ', item.critical ? h('span', { class: 'pill critical' }, t('critical')) : null,
          score === 0 ? h('span', { class: 'pill bad' }, t('failed')) : failed ? h('span', { class: 'pill bad' }, t('partialScore', pct(score))) : null),
        h('p', {}, `${t('yourAnswer')}: `, h('bdi', { class: 'answer' }, answerText(item, visit.answers[item.key]))),
        said ? h('p', { class: 'meta qa-said' }, `${t('qaSaidBefore', before.revision)}: `, h('bdi', {}, said)) : null,
        changed(item.key) ? h('p', { class: 'meta was' }, `${t('wasBefore')}: `, h('bdi', {}, answerText(item, before.answers[item.key]))) : null,
        // The photos the shopper replaced, beside the new ones.
        oldPhotos.length ? h('div', { class: 'was-photos' }, h('p', { class: 'meta' }, t('photosBefore')), photoStrip(oldPhotos)) : null,
        oldPhotos.length && photosOf(item).length ? h('p', { class: 'meta' }, t('photosNow')) : null,
        photoStrip(photosOf(item)),
        visit.comments[item.key] ? h('p', { class: 'meta' }, `${t('comment')}: `, h('bdi', {}, visit.comments[item.key])) : null,
        toggle, box);
    });
    return rows.length ? h('section', { class: 'review-section' }, h('h2', {}, tx(section.title)), h('ul', { class: 'cards' }, rows)) : null;
  }).filter(Boolean);
  const decide = async (path, body, said) => {
    try {
      await api('POST', `/api/v1/visits/${visitId}/${path}`, { body });
      flash = t(said, branchCode || '—');
      location.hash = '#/qa/reviews';
    } catch (e) { err.replaceChildren(message(problemsOf(e), 'error')); }
  };
  const decided = visit.status !== 'submitted';
  const sc = visit.score;
  // The visit's score as the server computes it (the same rules as every other score).
  const scorePanel = h('section', { class: 'panel', id: 'visit-score' }, h('h2', {}, t('visitScore')),
    h('div', { class: 'visit-score' }, h('p', { class: 'big' }, sc ? pct(sc.score) : '—'),
      failedCount ? h('span', { class: 'meta' }, t('failedN', failedCount)) : null),
    sc?.critical_failed ? message(t('criticalFailsVisit'), 'error') : null);
  // Wide screens: the facts, flags and decision beside the answers (app.css `.qa-review`).
  return [h('div', { class: 'qa-review' }, h('div', { class: 'qa-aside' },
    scorePanel,
    h('section', { class: 'panel' }, h('h2', {}, t('visit')), visitFacts(visit, assignment),
      before ? h('p', { class: 'meta' }, t('changedSince', visit.revision - 1)) : null,
      returned?.note ? h('p', { class: 'meta qa-said' }, `${t('qaNoteBefore', before.revision)}: `, h('bdi', {}, returned.note)) : null),
    before ? comparison(visit, before, branch) : null,
    h('section', { class: 'panel' }, h('h2', {}, t('flags')),
      // The server words flags in English; bdi keeps them readable inside an Arabic page.
      visit.flags?.length ? h('ul', {}, visit.flags.map((f) => h('li', { 'data-code': f.code }, h('bdi', {}, f.message)))) : h('p', {}, t('noFlags'))),
    decided ? message(statusWord(visit.status)) : h('section', { class: 'panel' },
      h('label', { for: 'return-note' }, t('noteOrReason')), note, err,
      h('div', { class: 'toolbar' },
        h('button', { class: 'btn', type: 'button', id: 'approve', onclick: () => decide('approve', {}, 'approvedBranch') }, t('approve')),
        h('button', {
          class: 'btn secondary', type: 'button', id: 'return',
          onclick: () => decide('return', { note: note.value, item_comments: Object.fromEntries(Object.entries(comments).filter(([, v]) => v.trim())) }, 'returnedBranch'),
        }, t('returnVisit')),
        h('button', {
          class: 'btn danger', type: 'button', id: 'reject',
          onclick: async () => {
            if (!note.value.trim()) { err.replaceChildren(message(t('rejectNeedsReason'), 'error')); note.focus(); return; }
            if (await confirmDialog(t('rejectConfirm'), t('rejectVisit'), t('cancelAction'))) decide('reject', { reason: note.value }, 'rejectedBranch');
          },
        }, t('rejectVisit'))))),
  h('div', { class: 'qa-answers' }, ...sections))];
}

async function checklistsView() {
  let list = await get('/api/v1/checklists');
  const file = h('input', { type: 'file', id: 'checklist-file', accept: 'application/json,.json,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  // What an upload made (problems, both phones, publish) is long: only a line about it is
  // announced, from a live region of its own, not the whole preview (`out` was the live region).
  const out = h('div', {});
  const live = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'checklist-upload-status' });
  // A short message announces itself (role status or alert).
  const say = (text, kind) => out.replaceChildren(message(text, kind));
  // (The live line says it already.)
  const quiet = (el) => { el.removeAttribute('role'); return el; };
  let doc = null;
  // A problem where the author will look for it: sheet, row and column of a workbook, else its path.
  const where = (p) => (p.sheet ? t('sheetAt', p.sheet, p.row ?? '—', p.column) : p.path);
  const isError = (p) => (p.severity || 'error') === 'error';
  const show = (problems, okText) => {
    const blocking = problems.some(isError);
    live.textContent = problems.length ? `${t('problems')}: ${num(problems.length)}` : okText || t('valid');
    out.replaceChildren(
      problems.length ? h('section', { class: 'panel' }, h('h2', {}, t('problems')), h('ul', { class: 'problems', id: 'problems' }, problems.map((p) => h('li', {}, h('bdi', {}, where(p)), `: ${p.problem}`)))) : quiet(message(okText || t('valid'), 'ok')),
      ...(doc ? [h('h2', {}, t('preview')), h('div', { class: 'previews' }, (lang() === 'ar' ? ['ar', 'en'] : ['en', 'ar']).map((l) => preview(doc, l, problems)))] : []),
      // Publishing is offered only for a document the server accepted without errors.
      blocking || !doc ? message(t('fixFirst'), 'error') : h('div', { class: 'toolbar' }, h('button', { class: 'btn', type: 'button', id: 'publish', onclick: publish }, t('publish')),
        // To go on editing: the draft as a file to change and upload again (which replaces it).
        h('button', { class: 'btn secondary', type: 'button', id: 'download-draft', onclick: () => saveBlob(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }), `${doc.key}-v${doc.version}.json`) }, t('downloadJson'))));
  };
  /** A saved draft opened again from the list: its preview, publish, and the way to go on editing it. */
  const openDraft = async (key, version, button) => {
    button.disabled = true;
    say(t('loading'));
    try {
      doc = (await get(`/api/v1/checklists/${encodeURIComponent(key)}/versions/${version}`)).document;
      show([], t('draftOpened', version));
      out.scrollIntoView({ block: 'start' });
    } catch (e) {
      say(e instanceof OfflineError ? t('offlineAction') : problemsOf(e), 'error');
    } finally { button.disabled = false; }
  };
  const upload = async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    doc = null;
    const head = new Uint8Array(await chosen.slice(0, 4).arrayBuffer());
    const workbook = head[0] === 0x50 && head[1] === 0x4b; // "PK": a ZIP, so an .xlsx
    let warnings = [];
    if (workbook) {
      say(t('converting'));
      try {
        const converted = await api('POST', '/api/v1/checklists/import-xlsform', { body: chosen, headers: { 'Content-Disposition': `attachment; filename="${encodeURIComponent(chosen.name)}"` } });
        doc = converted.checklist;
        warnings = converted.warnings.map((w) => ({ ...w, severity: 'warning' }));
      } catch (e) {
        if (e.status === 422) show(e.details.map((d) => ({ ...d, severity: d.severity || 'error' })));
        else say(problemsOf(e), 'error');
        return;
      }
    } else {
      try {
        doc = JSON.parse(await chosen.text());
      } catch (e) {
        say(`JSON: ${e.message}`, 'error');
        return;
      }
    }
    // A published version never changes: an edited workbook that still says version 1 becomes
    // the next version's draft, and the author is told which.
    const versions = list.find((c) => c.key === doc.key)?.versions || [];
    let bumped = null;
    if (versions.some((v) => v.version === doc.version && v.status === 'published')) {
      // The newest version if it is still a draft (uploading again replaces it), else a new one.
      const newest = versions.reduce((a, v) => (v.version > a.version ? v : a));
      doc = { ...doc, version: newest.status === 'published' ? newest.version + 1 : newest.version };
      bumped = doc.version;
    }
    try {
      const existing = versions.find((v) => v.version === doc.version);
      const saved = existing ? await api('PUT', `/api/v1/checklists/${doc.key}/versions/${doc.version}`, { body: doc }) : await api('POST', '/api/v1/checklists', { body: doc });
      show([...warnings, ...(saved.warnings || []).map((w) => ({ ...w, severity: 'warning' }))], bumped ? t('savedAsVersion', bumped) : t('saved'));
      await refreshList();
    } catch (e) {
      if (e.status === 422) show(e.details); else say(problemsOf(e), 'error');
    }
  };
  const publish = async () => {
    // A published version never changes: asked once more, with what it means.
    if (!(await confirmDialog(t('publishConfirm', doc.version), t('publish'), t('cancelAction')))) return;
    try {
      await api('POST', `/api/v1/checklists/${doc.key}/versions/${doc.version}/publish`, {});
      // The page again, as it now stands (the list shows the version published), told so.
      flash = t('publishedOk');
      reload();
    } catch (e) { out.prepend(message(problemsOf(e), 'error')); }
  };
  file.addEventListener('change', upload);
  const newVersion = async (c, v) => {
    const ed = await import('./editor.js');
    try {
      const published = (await get(`/api/v1/checklists/${encodeURIComponent(c.key)}/versions/${v.version}`)).document;
      location.hash = await ed.newVersionFrom(published, c.versions);
    } catch (e) { say(e instanceof OfflineError ? t('offlineAction') : problemsOf(e), 'error'); }
  };
  const xlsform = async (key, version) => (await import('./editor.js')).downloadXlsform(key, version, out);
  const rows = () => list.map((c) => h('tr', { 'data-key': c.key },
      // bdi: a title left in English on an Arabic screen keeps its full stop at its end.
      h('td', {}, h('bdi', {}, tx(c.title))), h('td', {}, h('bdi', { dir: 'ltr' }, c.key)),
      h('td', {}, h('ul', { class: 'versions' }, c.versions.map((v) => {
        // Each action is named with its checklist and version for a screen reader, which reads
        // it out of the row ("Edit: Retail visit, version 2: Draft").
        const named = (words) => `${words}: ${tx(c.title) || c.key}${lang() === 'ar' ? '،' : ','} ${t('versionStatus', v.version, statusWord(v.status))}`;
        return h('li', { 'data-version': v.version, 'data-status': v.status },
          h('span', { class: `pill ${v.status}` }, t('versionStatus', v.version, statusWord(v.status))),
          v.status === 'draft' ? h('button', { type: 'button', class: 'small open-draft', 'aria-label': named(t('openDraft')), onclick: (e) => openDraft(c.key, v.version, e.currentTarget) }, t('openDraft')) : null,
          // The editor (editor.js): a draft edited in place; a published version copied into the next one.
          v.status === 'draft' ? h('a', { class: 'small btn-link edit-draft', 'aria-label': named(t('edEdit')), href: `#/qa/editor/${c.key}@${v.version}` }, t('edEdit')) : null,
          v.status === 'published' && !c.versions.some((x) => x.status === 'draft') ? h('button', { type: 'button', class: 'small new-version', 'aria-label': named(t('edNewVersionFrom')), onclick: () => newVersion(c, v) }, t('edNewVersionFrom')) : null,
          h('button', { type: 'button', class: 'small download-xlsform', 'aria-label': named(t('downloadXlsform')), onclick: () => xlsform(c.key, v.version) }, t('downloadXlsform')));
      })))));
  const body = h('tbody', {}, rows());
  // After an upload the list shows the draft it made (its row's actions were of the old state).
  const refreshList = async () => { try { list = await get('/api/v1/checklists'); body.replaceChildren(...rows()); } catch { /* the next visit shows it */ } };
  return [
    flashLine(),
    h('section', { class: 'panel' }, h('p', { class: 'toolbar' }, h('a', { class: 'btn', href: '#/qa/editor/new', id: 'new-checklist' }, t('edNewChecklist'))),
      h('label', { for: 'checklist-file' }, t('upload')), ' ', filePicker(file), live, out),
    h('section', { class: 'panel' }, h('h2', {}, t('checklists')), h('div', { class: 'table-wrap' }, h('table', { id: 'checklist-list' },
      h('thead', {}, h('tr', {}, [t('edTitle'), t('edChecklistKey'), t('versionsCol')].map((c) => h('th', { scope: 'col' }, c)))),
      body))),
  ];
}

async function severityView() {
  const [sev, agr] = await Promise.all([get('/api/v1/scores/shoppers'), get('/api/v1/scores/agreement')]);
  const a = agr.agreement;
  // Items by their text in the reader's language (the scores name them by key).
  const texts = new Map();
  const keys = [...new Set((a?.items || []).map((i) => i.checklist))];
  const lists = keys.length ? await get('/api/v1/checklists').catch(() => []) : [];
  await Promise.all(keys.map(async (key) => {
    const c = lists.find((x) => x.key === key);
    const versions = (c?.versions || []).map((v) => v.version).sort((x, y) => y - x);
    for (const version of versions) {
      const doc = await checklistVersion({ key, version });
      for (const s of doc?.sections || []) for (const it of s.items || []) if (!texts.has(`${key}/${it.key}`)) texts.set(`${key}/${it.key}`, tx(it.text));
    }
  }));
  return [
    h('section', { class: 'panel' }, h('h2', {}, t('severity')), h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, t('shopper')), h('th', {}, t('visits')), h('th', {}, t('raw')), h('th', {}, t('severity')), h('th', {}, ''))),
      h('tbody', {}, sev.shoppers.map((s) => h('tr', {}, h('td', {}, h('bdi', {}, s.name)), h('td', {}, num(s.visits)), h('td', {}, pct(s.raw_score)),
        h('td', {}, s.severity === null ? '—' : `${num(s.severity * 100)} (${s.severity_ci ? s.severity_ci.map((x) => num(x * 100)).join(' – ') : '—'})`),
        h('td', {}, s.flag ? h('span', { class: 'pill returned' }, t(s.flag)) : '')))))),
    h('section', { class: 'panel' }, h('h2', {}, t('agreement')),
      a ? [h('p', {}, `${t('alpha')}: ${a.alpha === null ? '—' : num(a.alpha)} · ${num(a.encounters)} ${t('encounters')}`),
        h('table', { id: 'agreement-items' }, h('tbody', {}, (a.items || []).map((i) => h('tr', { 'data-key': i.key }, h('td', {}, texts.get(`${i.checklist}/${i.key}`) || i.key), h('td', {}, i.alpha === null ? '—' : num(i.alpha))))))] : h('p', {}, t('nothing'))),
  ];
}

const DISPUTE_FILTERS = { open: 'showOpen', resolved: 'showResolved', all: 'showAll' };

async function disputesView() {
  // Open disputes by default; decided ones stay reachable under "resolved" and "all".
  const shown = new URLSearchParams(location.hash.split('?')[1] || '').get('status');
  const which = DISPUTE_FILTERS[shown] ? shown : 'open';
  const all = await get(which === 'open' ? '/api/v1/disputes?status=open' : '/api/v1/disputes');
  // Decided ones newest decision first, a page's worth (each card asks for its visit's photos).
  const latest = (d) => d.resolved_at || d.created_at || '';
  const list = which === 'open' ? all : all.filter((d) => which === 'all' || d.status !== 'open')
    .sort((a, b) => latest(b).localeCompare(latest(a))).slice(0, 50);
  const filters = h('nav', { class: 'tabs sub', 'aria-label': t('disputesShown'), id: 'dispute-filter' },
    Object.entries(DISPUTE_FILTERS).map(([k, label]) => h('a', { href: `#/qa/disputes?status=${k}`, 'data-status': k, 'aria-current': k === which ? 'page' : null }, t(label))));
  const said = flashLine();
  if (!list.length) return [said, filters, message(t('nothing'))];
  // Each disputed answer in words needs its item (options, type): one document per version;
  // its photos need the visit.
  const [docs, visits] = await Promise.all([
    Promise.all(list.map((d) => checklistVersion(d.checklist))),
    Promise.all(list.map((d) => get(`/api/v1/visits/${d.visit_id}`).catch(() => null))),
  ]);
  return [said, filters, h('ul', { class: 'cards', id: 'disputes' }, list.map((d, i) => {
    const item = findItem(docs[i], d.item_key);
    const visit = visits[i];
    const answer = visit?.answers?.[d.item_key];
    const photos = [...(item?.type === 'photo' && Array.isArray(answer) ? answer : []), ...(visit?.evidence?.[d.item_key] || [])];
    const reason = h('textarea', { rows: 2, name: `reason-${d.id}`, id: `reason-${d.id}`, maxlength: 4000 });
    const err = h('div', { 'aria-live': 'polite', class: 'dispute-error' });
    reason.addEventListener('input', () => { if (reason.value.trim()) err.replaceChildren(); });
    const resolve = async (outcome) => {
      // The reader's own words before the server's: a decision without a reason is refused.
      if (!reason.value.trim()) { err.replaceChildren(message(t('disputeNeedsReason'), 'error')); reason.focus(); return; }
      // Overturning changes the branch's scores: asked first, as rejecting a visit is.
      if (outcome === 'overturned' && !(await confirmDialog(t('overturnConfirm'), t('overturned'), t('cancelAction')))) return;
      try {
        await api('POST', `/api/v1/disputes/${d.id}/resolve`, { body: { outcome, reason: reason.value } });
        flash = t('disputeResolved', d.branch_code, statusWord(outcome));
        reload();
      } catch (e) {
        const why = e instanceof OfflineError ? t('offlineAction') : e.status === 409 ? t('disputeDecided') : e.status === 404 ? t('disputeGone') : e.message;
        err.replaceChildren(message(why, 'error'));
      }
    };
    const open = d.status === 'open';
    return h('li', { class: 'card dispute', 'data-id': d.id, 'data-status': d.status },
      h('h2', {}, h('bdi', {}, d.branch_code), ' · ', tx(d.item_text) || d.item_key),
      h('p', { class: 'meta' }, h('span', { class: `pill ${d.status}` }, statusWord(d.status)), ` ${date(d.created_at)}`),
      h('p', {}, `${t('yourAnswer')}: `, h('bdi', { class: 'answer' }, answerWords(item, d.answer))),
      d.comment ? h('p', { class: 'quote shopper-comment' }, `${t('shopperComment')}: `, h('bdi', {}, d.comment)) : h('p', { class: 'meta' }, t('noComment')),
      photos.length ? [h('p', { class: 'meta' }, t('itemPhotos')), photoStrip(photos)] : null,
      h('p', { class: 'actions' }, h('a', { class: 'open-at-item', href: `#/qa/review/${d.visit_id}?item=${encodeURIComponent(d.item_key)}` }, t('openAtItem'))),
      h('p', {}, `${t('reason')}: `, h('bdi', {}, d.reason)),
      d.evidence ? h('p', { class: 'meta' }, `${t('evidence')}: `, h('bdi', {}, d.evidence)) : null,
      d.resolution ? h('p', {}, `${t('resolution')}: `, h('bdi', {}, d.resolution)) : null,
      open ? [h('label', { for: `reason-${d.id}` }, t('resolutionReason')), reason, err, h('div', { class: 'toolbar' },
        h('button', { class: 'btn', type: 'button', 'data-outcome': 'upheld', onclick: () => resolve('upheld') }, t('upheld')),
        h('button', { class: 'btn secondary', type: 'button', 'data-outcome': 'overturned', onclick: () => resolve('overturned') }, t('overturned')))] : null);
  }))];
}

const VIEWS = { reviews: reviewsView, checklists: checklistsView, severity: severityView, disputes: disputesView, exports: exportsView };

/** [title, body] of QA screen `name` (`review` takes a visit id). */
export async function qaView(name, id) {
  if (name === 'review' && id) return [t('review'), [tabs('reviews'), ...(await reviewOne(id))], '#/qa/reviews'];
  if (name === 'editor') {
    const ed = await import('./editor.js');
    return [t('edScreen'), [tabs('checklists'), ...(await ed.editorView(id))], '#/qa/checklists'];
  }
  // Campaign planning lives in its own module, loaded when QA opens it.
  if (name === 'campaigns' || name === 'rotation') {
    const v = await import('./campaigns.js');
    return [t(name === 'rotation' ? 'rotationAndBars' : 'campaigns'), [tabs('campaigns'), ...(await v.planningView(name, id))], id && name === 'campaigns' ? '#/qa/campaigns' : undefined];
  }
  const view = VIEWS[name] || reviewsView;
  return [t(TAB_LABEL[name] || 'reviewQueue'), [tabs(name), ...(await view())]];
}
