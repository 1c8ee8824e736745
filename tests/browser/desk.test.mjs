// The desk's second half as an editor uses it, in a real browser against `warta serve
// --demo`, at 1366 px and at 390 px: the address follows the headline as it is
// typed and can be set by hand; after publishing, a new address moves the story and
// the old one answers 301; the search and sharing previews change as the SEO fields
// are typed; a scheduled story says when it goes live; the desk finds stories by
// words of their headline. Screenshots land in screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startWarta, launchBrowser, screenshots, firstAdmin, loginAt, fits } from './harness.mjs';

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
    // The canonical address field is laid out like the SEO title above it.
    const [titleBox, canonicalBox] = await Promise.all(
      ['seo-title', 'seo-canonical'].map((t) => page.locator(`[data-test="${t}"]`).boundingBox()));
    assert.equal(Math.round(canonicalBox.width), Math.round(titleBox.width), 'as wide as the title field');
    assert.equal(Math.round(canonicalBox.x), Math.round(titleBox.x), 'aligned with it');
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

// Two editors on one story, each in their own window: changes to different fields
// merge by themselves; for the field both changed, the second chooses.
test('two editors: different fields merge, the shared one is a choice', { timeout: 120_000 }, async () => {
  const { page: dewi, errors } = await login(1366, 900);
  // A colleague's account.
  await dewi.goto(`${warta.url}/admin/users`);
  await dewi.fill('[data-test="add-user"] #name', 'Bima Redaktur');
  await dewi.fill('[data-test="add-user"] #email', 'bima@warta.test');
  await dewi.selectOption('[data-test="add-user"] #role', 'editor');
  await dewi.fill('[data-test="add-user"] #password', PASSWORD);
  await dewi.click('[data-test="add-user"] button[type="submit"]');
  await dewi.waitForSelector('[data-test="done"]');
  assert.match(await dewi.locator('[data-test="done"]').textContent(), /Akun bima@warta\.test ditambahkan/);
  // Dewi writes a story; both open it.
  await dewi.goto(`${warta.url}/admin/articles/new`);
  await dewi.waitForSelector('[data-test="body-editor"]');
  await dewi.fill('[data-test="headline"]', 'Jembatan Gantung Putus di Lebak');
  await dewi.fill('[data-test="lede"]', 'Warga terisolasi.');
  await dewi.click('.ed-doc');
  await dewi.keyboard.type('Jembatan putus pada Selasa pagi.');
  await dewi.click('[data-test="save"]');
  await dewi.waitForSelector('[data-test="saved"]');
  const url = dewi.url().replace(/\?.*$/, '');
  const { page: bima } = await loginAt(browser, warta.url, { email: 'bima@warta.test', password: PASSWORD, width: 390, height: 844 });
  await bima.goto(url);
  await bima.waitForSelector('[data-test="body-editor"]');
  // Dewi changes the lede and the body, and saves first.
  await dewi.fill('[data-test="lede"]', 'Ratusan warga terisolasi.');
  await dewi.click('.ed-doc');
  await dewi.keyboard.press('End');
  await dewi.keyboard.type(' Arus sungai deras.');
  await dewi.keyboard.press('Control+s');
  await dewi.waitForURL(/saved=1$/);
  // Bima changes the headline and the body too.
  await bima.fill('[data-test="headline"]', 'Jembatan Gantung Putus, Warga Lebak Terisolasi');
  await bima.click('.ed-doc');
  await bima.keyboard.press('End');
  await bima.keyboard.type(' Tidak ada korban.');
  await bima.click('[data-test="save"]');
  // The body is a choice; the headline and lede merged by themselves.
  await bima.waitForSelector('[data-test="choice-body"]');
  assert.equal(await bima.locator('fieldset.choice').count(), 1);
  assert.match(await bima.locator('[data-test="choice-body"]').textContent(), /Arus sungai deras/);
  await bima.screenshot({ path: join(screenshots, 'desk-conflict-390.png'), fullPage: true });
  // Bima keeps Dewi's body.
  await bima.check('[data-test="take-theirs-body"]');
  await bima.click('[data-test="save-mine"]');
  await bima.waitForSelector('[data-test="saved"]');
  assert.match(await bima.locator('[data-test="saved"]').textContent(), /ikut digabungkan/);
  assert.equal(await bima.inputValue('[data-test="headline"]'), 'Jembatan Gantung Putus, Warga Lebak Terisolasi');
  assert.equal(await bima.inputValue('[data-test="lede"]'), 'Ratusan warga terisolasi.');
  assert.match(await bima.locator('.ed-doc').textContent(), /Arus sungai deras\.$/);
  // Dewi, opening it again, sees both people's work.
  await dewi.goto(url);
  await dewi.waitForSelector('[data-test="body-editor"]');
  assert.equal(await dewi.inputValue('[data-test="headline"]'), 'Jembatan Gantung Putus, Warga Lebak Terisolasi');
  // The revisions compare word by word.
  await dewi.goto(`${url}/revisions`);
  await dewi.click('[data-test="compare"]');
  await dewi.waitForSelector('[data-test="diff"] mark');
  await dewi.screenshot({ path: join(screenshots, 'desk-revisions-1366.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await dewi.context().close();
  await bima.context().close();
});

// A live story's edits save themselves aside (not live); offline, the text is kept in
// the browser and offered back.
test('a live story autosaves aside, and offline the browser keeps the text', { timeout: 120_000 }, async () => {
  const { page, errors } = await login(390, 844);
  await page.goto(`${warta.url}/admin/articles/new`);
  await page.waitForSelector('[data-test="body-editor"]');
  await page.fill('[data-test="headline"]', 'Kereta Cepat Berhenti Sementara');
  await page.click('.ed-doc');
  await page.keyboard.type('Perjalanan dihentikan karena angin kencang.');
  await page.click('[data-test="publish"]');
  await page.waitForSelector('[data-test="saved"]');
  const editor = page.url().replace(/\?.*$/, '');
  const live = warta.url + await page.getAttribute('[data-test="live"]', 'href');
  // Edited while live: autosave keeps it aside, and says so.
  await page.fill('[data-test="headline"]', 'Kereta Cepat Berhenti Dua Jam');
  await page.waitForFunction(() => /belum tayang/.test(document.querySelector('[data-test="autosave-status"]').textContent), null, { timeout: 30_000 });
  assert.doesNotMatch(await (await page.request.get(live)).text(), /Berhenti Dua Jam/);
  // Opened again: the edit is back, said so, with a way to throw it away.
  await page.goto(editor);
  await page.waitForSelector('[data-test="pending"]');
  assert.equal(await page.inputValue('[data-test="headline"]'), 'Kereta Cepat Berhenti Dua Jam');
  await page.screenshot({ path: join(screenshots, 'desk-pending-390.png') });
  await page.click('[data-test="pending-discard"]');
  await page.waitForSelector('[data-test="body-editor"]');
  assert.equal(await page.locator('[data-test="pending"]').count(), 0);
  assert.equal(await page.inputValue('[data-test="headline"]'), 'Kereta Cepat Berhenti Sementara');
  // Offline: autosave says it cannot reach the server and keeps the text here.
  // (The connection is cut for this window's saves only: a whole context taken
  // offline and back would let this window, still closing, save once it is online.)
  await page.route('**/autosave', (route) => route.abort('internetdisconnected'));
  await page.fill('[data-test="headline"]', 'Kereta Cepat Kembali Berjalan');
  await page.waitForFunction(() => /disimpan di peramban ini/.test(document.querySelector('[data-test="autosave-status"]').textContent), null, { timeout: 30_000 });
  await page.screenshot({ path: join(screenshots, 'desk-offline-390.png') });
  // The window closes before the connection is back; the next visit offers the copy.
  const again = await page.context().newPage();
  await page.close({ runBeforeUnload: false });
  await again.goto(editor);
  await again.waitForSelector('[data-test="offline-copy"]');
  assert.equal(await again.inputValue('[data-test="headline"]'), 'Kereta Cepat Berhenti Sementara');
  await again.screenshot({ path: join(screenshots, 'desk-offline-copy-390.png') });
  await again.click('[data-test="offline-restore"]');
  assert.equal(await again.inputValue('[data-test="headline"]'), 'Kereta Cepat Kembali Berjalan');
  assert.equal(await again.locator('[data-test="offline-copy"]').count(), 0);
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e)), []);
  await again.context().close();
});

// A contributor's story, once an editor published it, opens read only for them; a
// refused save says why in Indonesian.
test("a contributor's live story opens read only; refusals are in Indonesian", { timeout: 120_000 }, async () => {
  const { page: dewi, errors } = await login(1366, 900);
  await dewi.goto(`${warta.url}/admin/users`);
  await dewi.fill('[data-test="add-user"] #name', 'Citra Kontributor');
  await dewi.fill('[data-test="add-user"] #email', 'citra@warta.test');
  await dewi.selectOption('[data-test="add-user"] #role', 'contributor');
  await dewi.fill('[data-test="add-user"] #password', PASSWORD);
  await dewi.click('[data-test="add-user"] button[type="submit"]');
  await dewi.waitForSelector('[data-test="done"]');
  const { page: citra } = await loginAt(browser, warta.url, { email: 'citra@warta.test', password: PASSWORD, width: 390, height: 844 });
  await citra.goto(`${warta.url}/admin/articles/new`);
  await citra.waitForSelector('[data-test="body-editor"]');
  await citra.fill('[data-test="headline"]', 'Festival Layang-Layang di Pantai Parangtritis');
  await citra.click('.ed-doc');
  await citra.keyboard.type('Ratusan layang-layang mengudara.');
  // Too long (past the box's own limit, as an old browser or a script could send):
  // refused, in Indonesian, naming the field as it is labelled, and nothing is lost.
  await citra.evaluate(() => {
    const el = document.getElementById('seo_title');
    el.removeAttribute('maxlength');
    el.value = 'x'.repeat(201);
  });
  await citra.click('[data-test="save"]');
  await citra.waitForSelector('[data-test="message"]');
  assert.match(await citra.locator('[data-test="message"]').textContent(), /Judul untuk mesin pencari dan media sosial terlalu panjang \(201 karakter, paling banyak 200\)/);
  await citra.screenshot({ path: join(screenshots, 'desk-refused-390.png') });
  await citra.fill('[data-test="seo-title"]', '');
  await citra.click('[data-test="submit"]');
  await citra.waitForSelector('[data-test="saved"]');
  const url = citra.url().replace(/\?.*$/, '');
  await dewi.goto(url);
  await dewi.click('[data-test="publish"]');
  await dewi.waitForSelector('[data-test="saved"]');
  await citra.goto(url);
  await citra.waitForSelector('[data-test="read-only"]');
  assert.equal(await citra.locator('[data-test="save"]').count(), 0);
  assert.equal(await citra.locator('[data-test="headline"]').isDisabled(), true);
  await citra.screenshot({ path: join(screenshots, 'desk-read-only-390.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await dewi.context().close();
  await citra.context().close();
});
