// The reader's portal II (issue #30), measured in Chromium at 1366 px and 390 px on the
// demo site: the main column clears the masthead and the footer; cards in one row share
// their top and height; every thumbnail has one ratio; on a phone the section bar
// scrolls sideways and the home page stays short; on a wide screen the article and its
// rail fill the width. The Indeks lists a day's stories; a page of the publication
// edited in the newsroom (with the body editor) shows in every footer; a photo's focal
// point is set with a click. Screenshots land in screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startWarta, launchBrowser, screenshots, firstAdmin, loginAt, fits } from './harness.mjs';

let warta;
let browser;
const PASSWORD = 'kata-sandi-rahasia-7';

before(async () => {
  warta = await startWarta({ toml: 'page_ttl_secs = 1\n' });
  browser = await launchBrowser();
  await firstAdmin(browser, warta.url, { name: 'Dewi Redaktur', email: 'dewi@warta.test', password: PASSWORD });
});

after(async () => {
  await browser?.close();
  warta?.stop();
});

// Loads every lazy image by scrolling through the page once.
async function loadAll(page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 500) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 20));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForLoadState('networkidle');
}

// The main column clears the masthead by 16 px and ends above the footer.
async function clearsMastheadAndFooter(page) {
  const [head, main, foot] = await page.evaluate(() => ['header.masthead', 'main', 'footer.foot']
    .map((s) => document.querySelector(s).getBoundingClientRect())
    .map((r) => ({ top: r.top + scrollY, bottom: r.bottom + scrollY })));
  const first = await page.evaluate(() => {
    const m = document.querySelector('main').firstElementChild;
    return m.getBoundingClientRect().top + scrollY;
  });
  assert.ok(first - head.bottom >= 16, `content starts ${first - head.bottom}px under the masthead`);
  assert.ok(main.bottom <= foot.top + 0.5, `main ends at ${main.bottom}, the footer starts at ${foot.top}`);
}

// Cards side by side in a grid share their top and their height.
async function rowsAreAligned(page) {
  const rows = await page.evaluate(() => [...document.querySelectorAll('.grid')].map((g) => {
    const byTop = {};
    for (const it of g.querySelectorAll(':scope > .item')) {
      const r = it.getBoundingClientRect();
      if (r.height === 0) continue;
      (byTop[Math.round(r.top)] ??= []).push(r.height);
    }
    return Object.values(byTop);
  }).flat());
  assert.ok(rows.length > 0, 'no card rows');
  for (const heights of rows) {
    assert.ok(Math.max(...heights) - Math.min(...heights) <= 1, `heights in one row: ${heights}`);
  }
  return rows;
}

// Every visible thumbnail is shown at 16:9 (within 1 %).
async function oneRatio(page) {
  const ratios = await page.evaluate(() => [...document.querySelectorAll('.thumb img, .top-photo img')]
    .map((i) => i.getBoundingClientRect())
    .filter((r) => r.width > 0)
    .map((r) => r.width / r.height));
  assert.ok(ratios.length >= 3, `${ratios.length} thumbnails`);
  for (const r of ratios) assert.ok(Math.abs(r / (16 / 9) - 1) <= 0.01, `a thumbnail at ratio ${r.toFixed(3)}`);
  return ratios.length;
}

for (const [width, height] of [[1366, 900], [390, 844]]) {
  test(`the reader's pages are finished at ${width}px`, { timeout: 120_000 }, async () => {
    const ctx = await browser.newContext({ viewport: { width, height } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(warta.url);
    await loadAll(page);
    await clearsMastheadAndFooter(page);
    const rows = await rowsAreAligned(page);
    if (width === 1366) assert.ok(rows.some((r) => r.length === 4), 'a section block shows four cards in a row');
    await oneRatio(page);
    await fits(page);
    const homeHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    if (width === 390) {
      const [sw, cw] = await page.$eval('.sections ul', (u) => [u.scrollWidth, u.clientWidth]);
      assert.ok(sw > cw, `the section bar scrolls (${sw} > ${cw})`);
      assert.ok(homeHeight < 4300, `the home page is ${homeHeight}px tall on a phone`);
    }
    assert.ok(await page.isVisible('[data-test="popular-day"]'), 'Terpopuler');
    assert.ok(await page.isVisible('[data-test="picks"]'), 'Pilihan Editor');
    await page.screenshot({ path: join(screenshots, `portal2-home-${width}.png`), fullPage: true });

    // An article: breadcrumbs, "Baca juga" in the body, related news with photos; on a
    // wide screen the story and the rail fill the width.
    const newest = await page.getAttribute('[data-test="top-story"] h2 a', 'href');
    const when = await page.getAttribute('[data-test="top-story"] time', 'datetime');
    await page.goto(warta.url + newest);
    await loadAll(page);
    await clearsMastheadAndFooter(page);
    assert.deepEqual((await page.locator('[data-test="breadcrumbs"] a').allTextContents()).slice(0, 1), ['Beranda']);
    assert.ok(await page.locator('[data-test="read-also"] a').count() === 2, 'Baca juga: two links');
    assert.ok(await page.locator('[data-test="related-item"] .thumb img').count() >= 2, 'related news has photos');
    await oneRatio(page);
    await fits(page);
    if (width === 1366) {
      const cover = await page.evaluate(() => {
        const m = document.querySelector('main');
        const cs = getComputedStyle(m);
        const inner = m.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const s = document.querySelector('.story').getBoundingClientRect();
        const r = document.querySelector('.rail').getBoundingClientRect();
        return (Math.max(s.right, r.right) - Math.min(s.left, r.left)) / inner;
      });
      assert.ok(cover >= 0.85, `story and rail cover ${(cover * 100).toFixed(1)} % of the width`);
    }
    await page.screenshot({ path: join(screenshots, `portal2-article-${width}.png`), fullPage: true });

    // The Indeks of the newest story's day lists it, with its time.
    await page.click('[data-test="nav-index"]');
    await page.waitForSelector('[data-test="index-form"]');
    await page.goto(`${warta.url}/indeks/${when.slice(0, 10)}`);
    const lines = await page.locator('[data-test="index-item"] .hl').allTextContents();
    const headline = (await page.evaluate(async (u) => (await fetch(u)).text(), newest)).match(/data-test="headline">([^<]+)</)[1];
    assert.ok(lines.includes(headline), `${headline} in ${lines}`);
    await clearsMastheadAndFooter(page);
    await fits(page);
    await page.screenshot({ path: join(screenshots, `portal2-indeks-${width}.png`), fullPage: true });

    // A page of the publication, from the footer.
    await page.click('[data-test="footer-pages"] a >> text=Pedoman Media Siber');
    await page.waitForSelector('[data-test="site-page"]');
    assert.equal(await page.textContent('[data-test="site-page"] h1'), 'Pedoman Media Siber');
    await clearsMastheadAndFooter(page);
    await fits(page);
    await page.screenshot({ path: join(screenshots, `portal2-page-${width}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test('an editor writes a page of the publication and every footer lists it', { timeout: 120_000 }, async () => {
  for (const [width, height] of [[1366, 900], [390, 844]]) {
    const { page: ed, errors } = await loginAt(browser, warta.url, { email: 'dewi@warta.test', password: PASSWORD, width, height });
    await ed.click('[data-test="nav-pages"]');
    const listed = await ed.locator('[data-test="pages"] tbody tr td:first-child').allTextContents();
    assert.ok(listed.includes('Kontak'), `the demo's pages: ${listed}`);
    await fits(ed);
    await ed.screenshot({ path: join(screenshots, `pages-list-${width}.png`), fullPage: true });
    await ed.click('[data-test="new-page"]');
    // The body editor replaces the text area, as in the article editor.
    await ed.waitForSelector('[data-test="body-editor"] .ProseMirror');
    const title = width === 1366 ? 'Karier' : 'Kerja Sama';
    await ed.fill('[data-test="page-title"]', title);
    await ed.locator('[data-test="body-editor"] .ProseMirror').click();
    await ed.keyboard.type('Kami membuka kesempatan bagi wartawan muda.');
    await fits(ed);
    await ed.screenshot({ path: join(screenshots, `page-editor-${width}.png`), fullPage: true });
    await ed.click('[data-test="save-page"]');
    await ed.waitForSelector('[data-test="saved"]');
    assert.equal(await ed.inputValue('[data-test="page-slug"]'), width === 1366 ? 'karier' : 'kerja-sama');
    await ed.click('[data-test="live"]');
    await ed.waitForSelector('[data-test="site-page"]');
    assert.match(await ed.textContent('[data-test="body"]'), /Kami membuka kesempatan bagi wartawan muda\./);
    const footer = await ed.locator('[data-test="footer-pages"] a').allTextContents();
    assert.ok(footer.includes(title), `${title} in the footer: ${footer}`);
    assert.deepEqual(errors, []);
    await ed.context().close();
  }
});

test('a click on a photo sets the point its crops keep', { timeout: 60_000 }, async () => {
  const { page: ed, errors } = await loginAt(browser, warta.url, { email: 'dewi@warta.test', password: PASSWORD, width: 1366, height: 900 });
  await ed.click('[data-test="nav-photos"]');
  const item = ed.locator('[data-test="library-item"]').first();
  const pick = item.locator('[data-test="focus-pick"]');
  const box = await pick.boundingBox();
  await pick.click({ position: { x: box.width * 0.25, y: box.height * 0.4 } });
  const x = Number(await item.locator('[data-test="focus-x"]').inputValue());
  const y = Number(await item.locator('[data-test="focus-y"]').inputValue());
  assert.ok(Math.abs(x - 25) <= 1 && Math.abs(y - 40) <= 1, `focus ${x}, ${y}`);
  assert.match(await item.locator('[data-test="crop-preview"]').evaluate((i) => i.style.objectPosition), /25% 40%|24% 40%|25% 39%/);
  await ed.screenshot({ path: join(screenshots, 'photo-focus-1366.png') });
  await item.locator('button[type="submit"]').click();
  await ed.waitForSelector('[data-test="library"]');
  const saved = ed.locator('[data-test="library-item"]').first();
  assert.equal(await saved.locator('[data-test="focus-x"]').inputValue(), String(x));
  assert.deepEqual(errors, []);
  await ed.context().close();
});
