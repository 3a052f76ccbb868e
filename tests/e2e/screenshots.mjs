// Screenshots of the main phone screens (390×844) in English and Arabic, written to
// docs/screenshots/. Run: node screenshots.mjs (after cargo build -p sirr-server --bin sirr).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fillSection, jpeg, launch, phone, ROOT, signIn, startServer } from './lib.mjs';

const OUT = join(ROOT, 'docs/screenshots');
mkdirSync(OUT, { recursive: true });
const server = await startServer();
const browser = await launch();
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
    await page.click('main button.btn.big');
    await page.waitForSelector('.checklist');
    const photo = await jpeg(page);
    await fillSection(page, photo);
    await page.click('nav.steps a.btn:not(.secondary)');
    await page.waitForSelector('.checklist');
    // a few answers on the second section, so that progress and show_if are visible
    const first = await page.$('.checklist .item:not(.note):not([hidden]) .opts input');
    if (first) await first.check();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, '03-checklist', lang);
    await page.goto(`${server.url}/#/visit/${id}/review`);
    await page.waitForSelector('.review');
    await shot(page, '04-review-missing', lang);
    await context.close();

    const mctx = await phone(browser, { locale: lang === 'ar' ? 'ar-SA' : 'en-US' });
    const mp = await mctx.newPage();
    await mp.goto(server.url);
    await mp.evaluate((l) => localStorage.setItem('sirr.lang', l), lang);
    await signIn(mp, server.url, 'manager.riyadh@demo.sirr');
    await mp.waitForSelector('.scores .score');
    await mp.waitForTimeout(200);
    await shot(mp, '05-manager-dashboard', lang);
    await mp.evaluate(() => document.querySelector('svg.chart').scrollIntoView({ block: 'start' }));
    await shot(mp, '06-manager-charts', lang);
    await mctx.close();

    const qctx = await phone(browser, { locale: lang === 'ar' ? 'ar-SA' : 'en-US' });
    const qp = await qctx.newPage();
    await qp.goto(server.url);
    await qp.evaluate((l) => localStorage.setItem('sirr.lang', l), lang);
    await signIn(qp, server.url, 'qa@demo.sirr');
    await qp.goto(`${server.url}/#/qa/reviews`);
    await qp.waitForSelector('.tabs');
    await shot(qp, '07-qa-review-queue', lang);
    await qp.goto(`${server.url}/#/qa/severity`);
    await qp.waitForSelector('table');
    await shot(qp, '08-qa-severity', lang);
    await qctx.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
console.log(`screenshots in ${OUT}`);
