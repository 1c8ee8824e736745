// What a newsroom does in a day, in a real browser against `warta serve --demo`: the
// first admin on the first-run page, accounts for a contributor and an editor, a
// photo with caption and credit, a story written and submitted by the contributor
// (autosaved on the way), published by the editor and seen on the home page, an edit
// previewed before it goes live, one
// scheduled a minute ahead that appears by itself, and two people editing one story
// who get the conflict page. Screenshots land in screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startWarta, launchBrowser, screenshots } from './harness.mjs';

let warta;
let browser;
const PASSWORD = 'kata-sandi-rahasia-1';

before(async () => {
  warta = await startWarta();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  warta?.stop();
});

async function login(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${warta.url}/admin`);
  await page.fill('[data-test="email"]', email);
  await page.fill('[data-test="password"]', PASSWORD);
  await page.click('[data-test="login"]');
  await page.waitForSelector('[data-test="nav-articles"]');
  return page;
}

async function logout(page) {
  await page.click('[data-test="logout"]');
  await page.waitForSelector('[data-test="email"]');
  await page.context().close();
}

// A time `minutes` ahead, as the editor's datetime-local field takes it (the demo
// site's zone, Asia/Jakarta, UTC+7 all year), rounded up to the next whole minute.
function jakartaInput(minutes) {
  const t = new Date(Math.ceil((Date.now() + minutes * 60_000) / 60_000) * 60_000 + 7 * 3600_000);
  return t.toISOString().slice(0, 16);
}

test('a newsroom runs for a day', { timeout: 300_000 }, async () => {
  // The first run: no account yet, so the newsroom asks for the first admin.
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  let page = await context.newPage();
  await page.goto(`${warta.url}/admin`);
  assert.match(page.url(), /\/admin\/setup$/);
  await page.fill('#name', 'Ayu Admin');
  await page.fill('[data-test="email"]', 'admin@warta.test');
  await page.fill('[data-test="password"]', PASSWORD);
  await page.click('[data-test="login"]');
  await page.waitForSelector('[data-test="desk"]');
  assert.equal((await page.locator('[data-test="who"]').textContent()).trim(), 'Ayu Admin');

  // The admin adds a contributor and an editor.
  for (const [name, email, role] of [['Kiki Kontributor', 'kontri@warta.test', 'contributor'], ['Eko Editor', 'editor@warta.test', 'editor']]) {
    await page.goto(`${warta.url}/admin/users`);
    const form = page.locator('[data-test="add-user"]');
    await form.locator('#name').fill(name);
    await form.locator('#email').fill(email);
    await form.locator('#role').selectOption(role);
    await form.locator('#password').fill(PASSWORD);
    await form.locator('button[type="submit"]').click();
    await page.waitForSelector(`text=${email}`);
  }
  assert.equal(await page.locator('[data-test="user-row"]').count(), 3);
  await page.screenshot({ path: join(screenshots, 'admin-users.png'), fullPage: true });
  await logout(page);

  // The contributor uploads a photo (a demo photo, saved to a file first).
  page = await login('kontri@warta.test');
  const home = await page.request.get(warta.url);
  const src = /<img src="(\/media\/[^"]+\.jpg)"/.exec(await home.text())[1];
  const photoFile = join(mkdtempSync(join(tmpdir(), 'warta-photo-')), 'banjir.jpg');
  writeFileSync(photoFile, await (await page.request.get(warta.url + src)).body());
  await page.click('[data-test="nav-photos"]');
  // A file that is not an image is refused, with the fields kept.
  const fake = join(mkdtempSync(join(tmpdir(), 'warta-fake-')), 'foto.jpg');
  writeFileSync(fake, '\x7fELF\x02\x01\x01 not a picture');
  await page.fill('[data-test="caption"]', 'Warga menyeberangi genangan di Bekasi.');
  await page.fill('[data-test="credit"]', 'WARTA/Kiki');
  await page.fill('[data-test="alt"]', 'Warga berjalan di air setinggi lutut');
  await page.setInputFiles('[data-test="file"]', fake);
  await page.click('[data-test="upload-button"]');
  await page.waitForSelector('[data-test="message"]');
  assert.match(await page.locator('[data-test="message"]').textContent(), /bukan gambar JPEG, PNG, atau WebP/);
  assert.equal(await page.inputValue('[data-test="credit"]'), 'WARTA/Kiki');
  await page.setInputFiles('[data-test="file"]', photoFile);
  await page.click('[data-test="upload-button"]');
  await page.waitForSelector('[data-test="library-item"]');
  const photoId = await page.locator('[data-test="library-item"]').first().getAttribute('data-id');
  await page.screenshot({ path: join(screenshots, 'admin-photos.png'), fullPage: true });

  // Writes a story with the photo, saves it, lets it autosave, submits it.
  await page.click('[data-test="nav-new"]');
  const headline = 'Genangan di Bekasi Surut Menjelang Sore';
  await page.fill('[data-test="headline"]', headline);
  await page.fill('[data-test="lede"]', 'Air mulai surut setelah pompa dinyalakan.');
  // The body in the editor: a paragraph, the photo from the library, a sub-heading.
  await page.click('.ed-doc');
  await page.keyboard.type('Genangan setinggi lutut di Bekasi mulai surut menjelang sore.');
  await page.keyboard.press('Enter');
  await page.click('[data-test="ed-photo"]');
  await page.click(`[data-test="photo-picker"] [data-test="picker-item"][data-id="${photoId}"]`);
  await page.waitForSelector(`[data-test="body-photo"][data-media-id="${photoId}"]`);
  await page.keyboard.type('## Pompa bekerja');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Dinas setempat menyalakan empat pompa sejak pagi.');
  await page.fill('[data-test="tags"]', 'tempat: Bekasi\ntopik: banjir');
  await page.fill('[data-test="dateline"]', 'Bekasi');
  await page.click('[data-test="hero-choose"]');
  await page.click(`[data-test="photo-picker"] [data-test="picker-item"][data-id="${photoId}"]`);
  assert.equal(await page.inputValue('input#hero'), photoId);
  await page.click('[data-test="save"]');
  await page.waitForSelector('[data-test="saved"]');
  const editUrl = page.url().replace(/\?.*$/, '');
  await page.fill('[data-test="lede"]', 'Air mulai surut setelah empat pompa dinyalakan.');
  await page.waitForFunction(() => /Tersimpan otomatis/.test(document.querySelector('[data-autosave-status]').textContent), null, { timeout: 30_000 });
  await page.goto(editUrl);
  assert.equal(await page.inputValue('[data-test="lede"]'), 'Air mulai surut setelah empat pompa dinyalakan.');
  assert.equal(await page.locator('[data-test="publish"]').count(), 0, 'a contributor has no publish button');
  await page.screenshot({ path: join(screenshots, 'admin-editor.png'), fullPage: true });
  await page.click('[data-test="submit"]');
  await page.waitForSelector('[data-test="status"][data-status="in_review"]');
  await logout(page);

  // The editor finds it in the review queue and publishes it.
  page = await login('editor@warta.test');
  await page.goto(`${warta.url}/admin?status=in_review`);
  await page.click(`text=${headline}`);
  await page.click('[data-test="publish"]');
  await page.waitForSelector('[data-test="status"][data-status="published"]');
  await page.goto(warta.url);
  await page.waitForSelector(`text=${headline}`);
  await page.click(`text=${headline}`);
  await page.waitForSelector('[data-test="headline"]');
  assert.equal((await page.locator('[data-test="headline"]').textContent()).trim(), headline);
  const hero = page.locator('figure.hero');
  assert.equal((await hero.locator('[data-test="credit"]').textContent()).trim(), 'WARTA/Kiki');
  assert.match(await hero.locator('figcaption').textContent(), /Warga menyeberangi genangan di Bekasi\./);
  assert.ok(await hero.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the photo loads');
  assert.match((await page.locator('[data-test="dateline"]').textContent()).trim(), /^WARTA, Bekasi -$/);
  await page.screenshot({ path: join(screenshots, 'published-article.png'), fullPage: true });

  // An edit of the live story is previewed in another tab before it is saved.
  await page.goto(editUrl);
  await page.fill('[data-test="headline"]', `${headline} (pratinjau)`);
  const [preview] = await Promise.all([
    page.context().waitForEvent('page'),
    page.click('[data-test="preview-changes"]'),
  ]);
  await preview.waitForSelector('[data-test="headline"]');
  assert.equal((await preview.locator('[data-test="headline"]').textContent()).trim(), `${headline} (pratinjau)`);
  await preview.close();
  const live = await (await page.request.get(warta.url)).text();
  assert.ok(live.includes(headline) && !live.includes('(pratinjau)'), 'a preview changes nothing');

  // One scheduled a minute ahead appears on the home page by itself.
  await page.goto(`${warta.url}/admin/articles/new`);
  const later = 'Wali Kota Tinjau Pompa Air Malam Ini';
  await page.fill('[data-test="headline"]', later);
  await page.click('.ed-doc');
  await page.keyboard.type('Wali kota dijadwalkan meninjau rumah pompa.');
  await page.fill('[data-test="publish-at"]', jakartaInput(1));
  await page.click('[data-test="schedule"]');
  await page.waitForSelector('[data-test="status"][data-status="scheduled"]');
  const home1 = await (await page.request.get(warta.url)).text();
  assert.ok(!home1.includes(later), 'not on the home page before its time');
  const deadline = Date.now() + 180_000;
  let seen = false;
  while (!seen && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    seen = (await (await page.request.get(warta.url)).text()).includes(later);
  }
  assert.ok(seen, 'the scheduled story appeared on the home page');

  // Two people edit one story: the second save gets the conflict page.
  const other = await login('admin@warta.test');
  await page.goto(editUrl);
  await other.goto(editUrl);
  await page.fill('[data-test="headline"]', `${headline} Sepenuhnya`);
  await other.fill('[data-test="headline"]', `${headline} Sebagian`);
  await page.click('[data-test="save"]');
  await page.waitForSelector('[data-test="saved"]');
  await other.click('[data-test="save"]');
  await other.waitForSelector('[data-test="conflict"]');
  // Both changed the headline: that field is a choice, side by side.
  const diff = await other.locator('[data-test="choice-headline"]').textContent();
  assert.ok(diff.includes('Sepenuhnya') && diff.includes('Sebagian'), diff);
  await other.screenshot({ path: join(screenshots, 'admin-conflict.png'), fullPage: true });
  await page.reload();
  assert.equal(await page.inputValue('[data-test="headline"]'), `${headline} Sepenuhnya`);
  await logout(other);
  await logout(page);
});
