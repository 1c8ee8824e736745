// What a reader does with search: type an inflected word into the masthead box, get
// the article that uses another form of it, narrow by section, follow a suggestion.
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

test('a reader searches from the masthead and opens a result', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(warta.url);
  // The demo says `mengungsi`; the reader types `pengungsian`.
  await page.fill('.masthead-search input[name="q"]', 'pengungsian bekasi');
  await page.press('.masthead-search input[name="q"]', 'Enter');
  await page.waitForSelector('[data-test="results"]');
  const first = page.locator('[data-test="result"] h2 a').first();
  assert.match((await first.textContent()).trim(), /Bekasi Mengungsi/);
  assert.ok((await page.locator('[data-test="result"] .snippet b').count()) >= 1, 'matches are highlighted');
  await page.screenshot({ path: join(screenshots, 'search.png'), fullPage: true });
  await first.click();
  await page.waitForSelector('[data-test="headline"]');
  assert.match((await page.locator('[data-test="headline"]').textContent()).trim(), /Bekasi Mengungsi/);
  await page.close();
});

test('filters narrow the results and a misspelling gets a suggestion', async () => {
  const page = await browser.newPage();
  await page.goto(`${warta.url}/cari?q=rudal`);
  const all = await page.locator('[data-test="result"]').count();
  assert.ok(all >= 2, `${all} results for rudal`);
  await page.selectOption('select[name="section"]', 'ekonomi');
  await page.click('.search-form button[type="submit"]');
  await page.waitForSelector('[data-test="no-results"]');
  assert.match(await page.locator('[data-test="no-results"]').textContent(), /Tidak ada berita/);

  await page.goto(`${warta.url}/cari?q=bnajir`);
  const suggestion = page.locator('[data-test="suggestion"] a');
  assert.equal((await suggestion.textContent()).trim(), 'banjir');
  await suggestion.click();
  await page.waitForSelector('[data-test="results"]');
  assert.ok((await page.locator('[data-test="result"]').count()) >= 3);
  await page.close();
});
