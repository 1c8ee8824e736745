// The desk's second half as an editor uses it, in a real browser against `warta serve
// --demo`, at 1366 px and at 390 px: the address follows the headline as it is
// typed and can be set by hand; after publishing, a new address moves the story and
// the old one answers 301; the search and sharing previews change as the SEO fields
// are typed; a scheduled story says when it goes live; the desk finds stories by
// words of their headline. Screenshots land in screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startWarta, launchBrowser, screenshots, firstAdmin, loginAt } from './harness.mjs';

let warta;
let browser;
const PASSWORD = 'kata-sandi-rahasia-3';

before(async () => {
  warta = await startWarta();
  browser = await launchBrowser();
  await firstAdmin(browser, warta.url, { name: 'Dewi Redaktur', email: 'dewi@warta.test', password: PASSWORD });
});

after(async () => {
  await browser?.close();
  warta?.stop();
});

const login = (width, height) => loginAt(browser, warta.url, {
  email: 'dewi@warta.test', password: PASSWORD, width, height,
});

// No horizontal scrolling: the page fits the window it is shown in.
async function fits(page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `page is ${scroll}px wide in a ${client}px window`);
}

for (const [width, height] of [[1366, 900], [390, 844]]) {
  test(`addresses, previews and the desk's search at ${width}px`, { timeout: 120_000 }, async () => {
    const { page, errors } = await login(width, height);
    await page.goto(`${warta.url}/admin/articles/new`);
    await page.waitForSelector('[data-test="body-editor"]');
    // The address follows the headline as it is typed.
    assert.equal(await page.locator('[data-test="slug-follows"]').isChecked(), true);
    await page.fill('[data-test="headline"]', `Pasar Terapung Banjarmasin Ramai Lagi ${width}`);
    assert.equal(await page.inputValue('[data-test="slug"]'), `pasar-terapung-banjarmasin-ramai-lagi-${width}`);
    await page.fill('[data-test="lede"]', 'Pedagang sayur dan buah kembali berjualan dari perahu sejak subuh.');
    await page.click('.ed-doc');
    await page.keyboard.type('Ratusan perahu memenuhi Sungai Martapura.');
    // The previews follow the headline and lede until the SEO fields are set.
    const serp = page.locator('[data-test="serp-preview"]');
    assert.match(await serp.textContent(), /Pasar Terapung Banjarmasin Ramai Lagi/);
    await page.fill('[data-test="seo-title"]', 'Pasar Terapung Banjarmasin, dari Subuh');
    await page.fill('[data-test="seo-description"]', 'Pedagang kembali berjualan dari perahu di Sungai Martapura.');
    assert.match(await serp.locator('.serp-title').textContent(), /^Pasar Terapung Banjarmasin, dari Subuh - /);
    assert.equal(await page.locator('[data-seo="card-title"]').textContent(), 'Pasar Terapung Banjarmasin, dari Subuh');
    assert.match(await page.locator('[data-seo-count="description"]').textContent(), /^59 dari sekitar 160/);
    // Typed by hand: the box unticks, and a new headline leaves the address alone.
    await page.fill('[data-test="slug"]', `pasar-terapung-${width}`);
    assert.equal(await page.locator('[data-test="slug-follows"]').isChecked(), false);
    await page.fill('[data-test="headline"]', `Pasar Terapung Banjarmasin Kembali Ramai ${width}`);
    assert.equal(await page.inputValue('[data-test="slug"]'), `pasar-terapung-${width}`);
    await page.screenshot({ path: join(screenshots, `desk-editor-${width}.png`), fullPage: true });
    await fits(page);
    await page.click('[data-test="publish"]');
    await page.waitForSelector('[data-test="saved"]');
    const live = await page.getAttribute('[data-test="live"]', 'href');
    assert.match(live, new RegExp(`/pasar-terapung-${width}$`));
    // Live: the box is gone; a new address moves the story.
    assert.equal(await page.locator('[data-test="slug-follows"]').count(), 0);
    await page.fill('[data-test="slug"]', `pasar-terapung-banjarmasin-${width}`);
    await page.keyboard.press('Control+s');
    await page.waitForURL(/saved=1$/);
    const moved = await page.getAttribute('[data-test="live"]', 'href');
    assert.match(moved, new RegExp(`/pasar-terapung-banjarmasin-${width}$`));
    const old = await page.request.get(warta.url + live, { maxRedirects: 0 });
    assert.equal(old.status(), 301);
    assert.equal(old.headers()['location'], moved);
    // The reader's page carries the SEO title and description.
    const reader = await (await page.request.get(warta.url + moved)).text();
    assert.match(reader, /<title>Pasar Terapung Banjarmasin, dari Subuh - /);
    assert.match(reader, /<meta name="description" content="Pedagang kembali berjualan dari perahu di Sungai Martapura.">/);
    // A scheduled story says when it goes live.
    await page.goto(`${warta.url}/admin/articles/new`);
    await page.waitForSelector('[data-test="body-editor"]');
    await page.fill('[data-test="headline"]', `Festival Sungai Dibuka Pekan Depan ${width}`);
    await page.click('.ed-doc');
    await page.keyboard.type('Festival digelar tiga hari.');
    await page.fill('[data-test="publish-at"]', '2031-05-07T09:00');
    await page.click('[data-test="schedule"]');
    await page.waitForSelector('[data-test="planned"]');
    assert.equal(await page.locator('[data-test="planned"]').textContent(), 'Terbit otomatis Rabu, 7 Mei 2031 09:00 WIB');
    // The desk finds both by words of their headlines, and shows when one goes live.
    await page.goto(`${warta.url}/admin`);
    await page.fill('[data-test="desk-q"]', `${width}`);
    await page.press('[data-test="desk-q"]', 'Enter');
    await page.waitForSelector('[data-test="desk-count"]');
    assert.equal(await page.locator('[data-test="desk-row"]').count(), 2);
    assert.match(await page.locator('[data-test="desk-count"]').textContent(), /^2 artikel cocok/);
    assert.match(await page.locator('[data-test="desk-planned"]').allTextContents().then((t) => t.join(' ')), /Rabu, 7 Mei 2031 09:00 WIB/);
    await page.screenshot({ path: join(screenshots, `desk-search-${width}.png`), fullPage: true });
    await fits(page);
    // All stories, at this width: nothing runs off the side.
    await page.goto(`${warta.url}/admin`);
    await fits(page);
    await page.screenshot({ path: join(screenshots, `desk-${width}.png`) });
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}
