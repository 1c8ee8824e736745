// What a reader does: open the demo, click into an article, see every element of the
// article page, follow a related story.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startWarta, launchBrowser, screenshots } from './harness.mjs';

let warta;
let browser;

before(async () => {
  warta = await startWarta();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  warta?.stop();
});

test('a reader opens a demo article from the home page', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(warta.url);
  await page.screenshot({ path: join(screenshots, 'home.png'), fullPage: true });

  // The top story is the newest article; open it the way a reader would.
  const top = page.locator('[data-test="top-story"] h2 a');
  const headline = (await top.textContent()).trim();
  await top.click();
  await page.waitForSelector('[data-test="headline"]');

  assert.equal((await page.locator('[data-test="headline"]').textContent()).trim(), headline);
  assert.equal(await page.title(), `${headline} - Warta`);

  // The date line: weekday, day, month, year, time and zone.
  const when = (await page.locator('[data-test="dateline-time"]').textContent()).trim();
  assert.match(when, /^(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Ahad), \d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4} \d{2}:\d{2} WIB$/);
  assert.match(await page.locator('[data-test="dateline-time"]').getAttribute('datetime'), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);

  // The hero photo has a caption ending in its credit, and a srcset.
  const hero = page.locator('figure.hero');
  assert.ok((await hero.locator('img').getAttribute('srcset')).includes('640w'));
  const credit = (await hero.locator('[data-test="credit"]').textContent()).trim();
  assert.match(credit, /^WARTA\//);
  const caption = (await hero.locator('figcaption').textContent()).trim();
  assert.ok(caption.endsWith(credit), `caption "${caption}" ends with the credit`);
  const loaded = await hero.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0);
  assert.ok(loaded, 'the hero photo loads');

  // The dateline opens the first paragraph.
  const first = page.locator('[data-test="body"] p').first();
  assert.match((await first.textContent()).trim(), /^WARTA, [A-Z][a-z]+ - \S/);

  // The related block: titles as links, relative ages, read-more links.
  const related = page.locator('[data-test="related"]');
  assert.equal((await related.locator('h2').textContent()).trim(), 'Berita terkait');
  const items = related.locator('[data-test="related-item"]');
  const n = await items.count();
  assert.ok(n >= 1 && n <= 10, `${n} related items`);
  assert.match((await items.first().locator('time').textContent()).trim(), /^(baru saja|\d+ (menit|jam|hari|bulan|tahun) lalu)$/);
  assert.equal((await items.first().locator('a.more').textContent()).trim(), 'Baca Selengkapnya');

  await page.screenshot({ path: join(screenshots, 'article.png'), fullPage: true });

  // Following a related story lands on another article.
  const relatedTitle = (await items.first().locator('h3 a').textContent()).trim();
  await items.first().locator('h3 a').click();
  await page.waitForSelector('[data-test="headline"]');
  assert.equal((await page.locator('[data-test="headline"]').textContent()).trim(), relatedTitle);
  await page.close();
});

test('the inline script keeps relative ages true in a cached copy', async () => {
  const page = await browser.newPage();
  // A copy opened two days after the server rendered it (as from a CDN or the browser
  // cache): the page's script rewrites every age from its datetime.
  await page.clock.setFixedTime(Date.now() + 2 * 86400 * 1000);
  await page.goto(warta.url);
  const time = page.locator('[data-test="top-story"] time[data-age]');
  assert.equal((await time.textContent()).trim(), '2 hari lalu');
  await page.close();
});

test('an unknown address shows the 404 page', async () => {
  const page = await browser.newPage();
  const res = await page.goto(`${warta.url}/nasional/2020/01/01/tidak-ada`);
  assert.equal(res.status(), 404);
  assert.match(await page.locator('h1').textContent(), /Halaman tidak ditemukan/);
  await page.close();
});
