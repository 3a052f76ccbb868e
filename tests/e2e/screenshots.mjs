// Screenshots of the main phone screens (390×844) in English and Arabic, written to
// docs/screenshots/. Run: node screenshots.mjs (after cargo build -p sirr-server --bin sirr).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillSection, fillToReview, jpeg, launch, phone, ROOT, settled, signIn, startServer } from './lib.mjs';

const OUT = join(ROOT, 'docs/screenshots');
mkdirSync(OUT, { recursive: true });
const server = await startServer();
const browser = await launch();
/** A phone in `lang` (saved as the user's choice) signed in as `email`. */
async function signedIn(email, lang) {
  const context = await phone(browser, { locale: lang === 'ar' ? 'ar-SA' : 'en-US' });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.evaluate((l) => localStorage.setItem('sirr.lang', l), lang);
  await signIn(page, server.url, email);
  return [context, page];
}
const shot = (page, name, lang) => page.screenshot({ path: join(OUT, `${name}-${lang}.png`) });

try {
  for (const lang of ['en', 'ar']) {
    const context = await phone(browser, { locale: lang === 'ar' ? 'ar-SA' : 'en-US' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.evaluate((l) => localStorage.setItem('sirr.lang', l), lang);
    await page.reload();
    await page.waitForSelector('#email');
    await shot(page, '01-sign-in', lang);
    await signIn(page, server.url, lang === 'ar' ? 'shopper5@demo.sirr' : 'shopper6@demo.sirr');
    await page.waitForSelector('.card.assignment');
    await shot(page, '02-assignments', lang);
    const id = await page.$eval('.card.assignment a.btn[href^="#/visit/"]', (a) => a.getAttribute('href').split('/')[2]);
    await page.goto(`${server.url}/#/visit/${id}/0`);
    await settled(page);
    await page.click('main button.btn.big');
    await page.waitForSelector('.checklist');
    const photo = await jpeg(page);
    await fillSection(page, photo);
    await page.click('nav.steps a.btn:not(.secondary)');
    await settled(page);
    // a few answers on the second section, so that progress and show_if are visible
    const first = await page.$('.checklist .item:not(.note):not([hidden]) .opts input');
    if (first) await first.check();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, '03-checklist', lang);
    await page.goto(`${server.url}/#/visit/${id}/review`);
    await settled(page);
    await shot(page, '04-review-missing', lang);
    // finish and submit, so that QA has something in the queue
    await page.goto(`${server.url}/#/visit/${id}/0`);
    await settled(page);
    await fillToReview(page, photo);
    await page.click('.review button.btn.big');
    await page.waitForSelector('#visit-sent');
    await shot(page, '05-submitted', lang);
    await context.close();

    const [mctx, mp] = await signedIn('manager.riyadh@demo.sirr', lang);
    // A regional manager lands on the league table of the region.
    await mp.waitForSelector('#league');
    await settled(mp);
    await shot(mp, '06-manager-league', lang);
    await mp.click('nav.tabs a[href^="#/dashboard"]');
    await mp.waitForSelector('#headline-fair');
    await settled(mp);
    await mp.waitForTimeout(200);
    await shot(mp, '06-manager-dashboard', lang);
    await mp.evaluate(() => document.querySelector('svg.chart').scrollIntoView({ block: 'start' }));
    await shot(mp, '07-manager-charts', lang);
    await mp.click('#failed details.failed-group > summary');
    await mp.evaluate(() => document.querySelector('#failed').scrollIntoView({ block: 'start' }));
    await shot(mp, '07-manager-failed-items', lang);
    // The same on a desktop: league table beside the trend, the heat map below.
    await mp.setViewportSize({ width: 1440, height: 900 });
    await mp.goto(`${server.url}/#/league`);
    await mp.waitForSelector('#heat[data-ready=true]');
    await settled(mp);
    await mp.screenshot({ path: join(OUT, `10-manager-league-desktop-${lang}.png`), fullPage: true });
    await mctx.close();

    const [qctx, qp] = await signedIn('qa@demo.sirr', lang);
    await qp.goto(`${server.url}/#/qa/reviews`);
    await settled(qp);
    await shot(qp, '08-qa-review-queue', lang);
    await qp.click('.cards .card a.btn');
    await settled(qp);
    await shot(qp, '09-qa-review-visit', lang);
    // a checklist with a mistake: the problem is shown at its item in both previews
    const doc = JSON.parse(readFileSync(join(ROOT, 'examples/checklists/retail-store-visit.json')));
    doc.key = `draft-${lang}`;
    doc.sections[0].items[2].show_if = "store_format = 'fashion'";
    await qp.goto(`${server.url}/#/qa/checklists`);
    await settled(qp);
    await qp.setInputFiles('#checklist-file', { name: 'checklist.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await qp.waitForSelector('#problems');
    await shot(qp, '11-qa-checklist-problems', lang);
    await qp.evaluate(() => document.querySelector('.problem-at').scrollIntoView({ block: 'start' }));
    await qp.evaluate(() => window.scrollBy(0, -120));
    await shot(qp, '12-qa-checklist-preview', lang);
    await qp.goto(`${server.url}/#/qa/severity`);
    await settled(qp);
    await shot(qp, '10-qa-severity', lang);
    await qctx.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
console.log(`screenshots in ${OUT}`);
