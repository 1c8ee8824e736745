// The body editor as a journalist uses it, in a real browser against `warta serve
// --demo`: write with the toolbar and the shortcuts, make lists, link to one of the
// site's stories, paste and drop photos into the body and give them their texts,
// choose the lead photo from thumbnails, paste a video address, publish, and see the
// reader's page show it all; at 1366 px and at 390 px. Paste and drop are synthetic
// events with a real file (a demo photo). Screenshots land in screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startWarta, launchBrowser, screenshots, firstAdmin, loginAt } from './harness.mjs';

let warta;
let browser;
const PASSWORD = 'kata-sandi-rahasia-2';

before(async () => {
  warta = await startWarta();
  browser = await launchBrowser();
  await firstAdmin(browser, warta.url, { name: 'Rina Redaktur', email: 'rina@warta.test', password: PASSWORD });
});

after(async () => {
  await browser?.close();
  warta?.stop();
});

// A third party's frame cannot load here (no network): not the page's fault.
const login = (width, height) => loginAt(browser, warta.url, {
  email: 'rina@warta.test', password: PASSWORD, width, height, ignore: /youtube|ERR_|net::/i,
});

// A demo photo's bytes, as a journalist would have the file.
async function photoBytes(page) {
  const home = await (await page.request.get(warta.url)).text();
  const src = /<img src="(\/media\/[^"]+\.jpg)"/.exec(home)[1];
  return [...(await (await page.request.get(warta.url + src)).body())];
}

// Pastes into the editor what a clipboard would hold: files, or plain text.
async function paste(page, { bytes, name, text }) {
  await page.evaluate(({ bytes, name, text }) => {
    const dt = new DataTransfer();
    if (bytes) dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' }));
    if (text) dt.setData('text/plain', text);
    const ev = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
    document.querySelector('.ed-doc').dispatchEvent(ev);
  }, { bytes, name, text });
}

// Drops a file onto the editor, on the block matching `target`.
async function drop(page, bytes, name, target) {
  await page.evaluate(({ bytes, name, target }) => {
    const el = document.querySelector(target);
    const r = el.getBoundingClientRect();
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      el.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.left + 5, clientY: r.top + r.height / 2 }));
    }
  }, { bytes, name, target });
}

async function write(page, bytes, suffix) {
  await page.goto(`${warta.url}/admin/articles/new`);
  await page.waitForSelector('[data-test="body-editor"]');
  // With script, the markup textarea and the photo number are out of sight.
  assert.equal(await page.locator('[data-test="body"]').isVisible(), false);
  assert.equal(await page.locator('[data-test="hero"]').count(), 1);
  assert.equal(await page.locator('input#hero[type="hidden"]').count(), 1);
  const headline = `Warga Bekasi Kembali ke Rumah ${suffix}`;
  await page.fill('[data-test="headline"]', headline);
  await page.fill('[data-test="lede"]', 'Air surut, warga membersihkan rumah dan mendata kerugian.');
  await page.fill('[data-test="dateline"]', 'Bekasi');
  const doc = page.locator('.ed-doc');
  await doc.click();
  // Shortcuts: Ctrl+B, Ctrl+I.
  await page.keyboard.type('Warga mulai ');
  await page.keyboard.press('Control+b');
  await page.keyboard.type('kembali');
  await page.keyboard.press('Control+b');
  await page.keyboard.type(' ke rumah pada ');
  await page.keyboard.press('Control+i');
  await page.keyboard.type('Kamis pagi');
  await page.keyboard.press('Control+i');
  await page.keyboard.type('. Berikut yang perlu diperhatikan:');
  await page.keyboard.press('Enter');
  // Markdown-like typing: "- " makes a bulleted list, "1. " a numbered one, "## " a sub-heading.
  await page.keyboard.type('- periksa instalasi listrik');
  await page.keyboard.press('Enter');
  await page.keyboard.type('buang makanan yang terendam');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('## Bantuan dari pemerintah');
  await page.keyboard.press('Enter');
  // The toolbar: a numbered list.
  await page.click('[data-test="ed-ol"]');
  await page.keyboard.type('daftar di kelurahan');
  await page.keyboard.press('Enter');
  await page.keyboard.type('bawa KTP');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  // A quote with its source, from the toolbar.
  await page.keyboard.type('Kami akan mendata semua rumah.');
  await page.click('[data-test="ed-quote"]');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Lurah Jatiasih');
  await page.keyboard.press('Enter');
  // A link to one of the site's stories, found by its words (Ctrl+K).
  await page.keyboard.type('Baca juga: ');
  await page.keyboard.press('Control+k');
  await page.waitForSelector('[data-test="link-dialog"][open]');
  // An address that is not one is refused, with the reason.
  await page.fill('[data-test="link-input"]', 'javascript:alert(1)');
  await page.click('[data-test="link-apply"]');
  assert.match(await page.locator('[data-test="link-message"]').textContent(), /tidak sah/);
  await page.fill('[data-test="link-input"]', 'banjir');
  await page.waitForSelector('[data-test="link-result"]');
  const linked = await page.locator('[data-test="link-result"]').first().getAttribute('data-url');
  await page.locator('[data-test="link-result"]').first().click();
  await page.waitForSelector('[data-test="link-dialog"]:not([open])', { state: 'hidden' });
  await page.keyboard.press('Enter');

  // A photo pasted into the body uploads where the text is, then asks for its texts.
  await paste(page, { bytes, name: 'tempel.jpg' });
  await page.waitForSelector('[data-test="body-photo"]', { timeout: 20_000 });
  assert.equal(await page.locator('[data-test="uploading"]').count(), 0);
  const first = page.locator('[data-test="body-photo"]').first();
  assert.ok(await first.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the pasted photo shows');
  await first.locator('[data-test="photo-caption"]').fill('Warga mengangkut kasur yang basah.');
  await first.locator('[data-test="photo-credit"]').fill('WARTA/Rina');
  assert.match(await first.textContent(), /wajib sebelum terbit/);
  await first.locator('[data-test="photo-alt"]').fill('Dua warga memikul kasur di gang');
  await first.locator('[data-test="photo-alt"]').press('Enter');
  await page.waitForFunction(() => /tersimpan/i.test(document.querySelector('[data-test="body-photo"] .ed-photo-status').textContent));

  // A photo dropped on the sub-heading goes in beside it.
  await drop(page, bytes, 'seret.jpg', '.ed-doc h2');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="body-photo"]').length === 2, null, { timeout: 20_000 });
  // It went in before the pasted one, after the sub-heading, and asks for its alt text.
  const dropped = page.locator('[data-test="body-photo"]').first();
  assert.equal(await page.locator('.ed-doc h2 + [data-test="body-photo"]').count(), 1);
  assert.equal(await page.locator('[data-test="body-photo"].ed-needs-alt').count(), 1);
  await dropped.locator('[data-test="photo-alt"]').fill('Posko pendataan di kelurahan');
  await dropped.locator('[data-test="photo-alt"]').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="body-photo"].ed-needs-alt').length === 0);

  // A video address pasted on an empty line becomes an embed.
  await doc.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await paste(page, { text: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' });
  await page.waitForSelector('[data-test="body-embed"]');
  await page.locator('[data-test="embed-title"]').fill('Video: air surut di Jatiasih');

  // The lead photo, chosen from thumbnails.
  await page.click('[data-test="hero-choose"]');
  await page.waitForSelector('[data-test="photo-picker"][open] [data-test="picker-item"]');
  const pickedId = await page.locator('[data-test="picker-item"]').first().getAttribute('data-id');
  await page.locator('[data-test="picker-item"]').first().click();
  await page.waitForSelector('[data-test="hero-picker"] img');
  assert.equal(await page.inputValue('input#hero'), pickedId);
  return { headline, linked };
}

for (const [width, height] of [[1366, 900], [390, 844]]) {
  test(`write, illustrate and publish with the editor at ${width} px`, { timeout: 180_000 }, async () => {
    const { page, errors } = await login(width, height);
    const bytes = await photoBytes(page);
    const { headline, linked } = await write(page, bytes, width);
    assert.match(linked, /^\/[a-z-]+\/\d{4}\/\d{2}\/\d{2}\//, 'an internal link is a path on this site');
    await page.screenshot({ path: join(screenshots, `editor-${width}.png`), fullPage: true });
    await page.click('[data-test="publish"]');
    await page.waitForSelector('[data-test="status"][data-status="published"]', { timeout: 20_000 });

    // What the editor sent is what the no-script form holds.
    const markup = await page.inputValue('[data-test="body"]');
    assert.match(markup, /^Warga mulai <b>kembali<\/b> ke rumah pada <i>Kamis pagi<\/i>\. Berikut/);
    assert.match(markup, /\n\n- periksa instalasi listrik\n- buang makanan yang terendam\n\n/);
    assert.match(markup, /\n\n1\. daftar di kelurahan\n2\. bawa KTP\n\n/);
    assert.match(markup, /\n\n> Kami akan mendata semua rumah\.\n> — Lurah Jatiasih\n\n/);
    assert.match(markup, /\[foto \d+ \| Warga mengangkut kasur yang basah\. \| WARTA\/Rina\]/);
    assert.match(markup, /\[embed https:\/\/www\.youtube\.com\/watch\?v=dQw4w9WgXcQ \| Video: air surut di Jatiasih\]/);
    assert.ok(markup.includes(`href="${linked}"`), markup);

    // The reader's page.
    await page.click('[data-test="live"]');
    await page.waitForSelector('[data-test="headline"]');
    assert.equal((await page.locator('[data-test="headline"]').textContent()).trim(), headline);
    const body = page.locator('[data-test="body"]');
    // The story's own lists (the body may also hold "Baca juga", a list of links).
    assert.equal(await body.locator(':scope > ul > li').count(), 2);
    assert.equal(await body.locator(':scope > ol > li').count(), 2);
    assert.equal((await body.locator('b').first().textContent()), 'kembali');
    assert.equal(await body.locator('h2').textContent(), 'Bantuan dari pemerintah');
    assert.match(await body.locator('blockquote footer').textContent(), /Lurah Jatiasih/);
    assert.equal(await body.locator(`a[href="${linked}"]`).count(), 1);
    const figures = body.locator('figure.inline');
    assert.equal(await figures.count(), 2);
    const pasted = figures.nth(1);
    assert.match(await pasted.textContent(), /Warga mengangkut kasur yang basah\./);
    assert.ok(await pasted.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the inline photo loads');
    assert.equal(await pasted.locator('img').getAttribute('alt'), 'Dua warga memikul kasur di gang');
    assert.equal(await figures.first().locator('img').getAttribute('alt'), 'Posko pendataan di kelurahan');
    assert.ok(await page.locator('figure.hero img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the lead photo loads');
    // The video waits for the reader: a card and a button, no frame until clicked.
    const embed = body.locator('[data-test="embed"]');
    assert.match(await embed.textContent(), /Video: air surut di Jatiasih/);
    assert.equal(await page.locator('iframe').count(), 0);
    await page.screenshot({ path: join(screenshots, `editor-published-${width}.png`), fullPage: true });
    await embed.locator('[data-test="embed-load"]').click();
    const frame = page.locator('[data-test="embed-frame"]');
    assert.equal(await frame.getAttribute('src'), 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}

test('every demo body opens in the editor as the server wrote it', { timeout: 120_000 }, async () => {
  const { page, errors } = await login(1366, 900);
  // With script, the photo library shows no photo numbers either.
  await page.goto(`${warta.url}/admin/photos`);
  await page.waitForSelector('[data-test="library-item"]');
  const numbers = page.locator('[data-test="library-item"] .nojs-only');
  assert.ok(await numbers.count() > 0, 'the numbers are in the page, for the no-script editor');
  assert.equal(await numbers.first().isVisible(), false);
  assert.doesNotMatch(await page.locator('[data-test="library-item"] figcaption').first().innerText(), /#\d|\[foto/);
  await page.goto(`${warta.url}/admin?status=published`);
  const ids = await page.locator('a[href^="/admin/articles/"]').evaluateAll((as) =>
    [...new Set(as.map((a) => a.getAttribute('href')).filter((h) => /^\/admin\/articles\/\d+$/.test(h)))]);
  assert.ok(ids.length >= 20, `${ids.length} articles`);
  const kinds = new Set();
  for (const href of ids) {
    await page.goto(warta.url + href);
    await page.waitForSelector('[data-test="body-editor"]');
    // ProseMirror read the server's document (Node.fromJSON) and gives it back the same.
    const same = await page.evaluate(() => {
      const sent = JSON.parse(document.getElementById('editor-data').textContent).doc;
      const held = window.wartaEditor.state.doc.toJSON();
      const norm = (v) => (Array.isArray(v) ? v.map(norm) : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm(v[k])])) : v);
      return { same: JSON.stringify(norm(sent)) === JSON.stringify(norm(held)), kinds: held.content.map((n) => n.type) };
    });
    assert.ok(same.same, `${href}: the editor changed the document`);
    same.kinds.forEach((k) => kinds.add(k));
  }
  for (const k of ['paragraph', 'heading', 'quote', 'bullet_list', 'ordered_list', 'photo']) {
    assert.ok(kinds.has(k), `the demo shows a ${k}`);
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('Ctrl+S saves, and leaving with unsaved changes asks first', { timeout: 60_000 }, async () => {
  const { page, errors } = await login(1366, 900);
  await page.goto(`${warta.url}/admin/articles/new`);
  await page.waitForSelector('[data-test="body-editor"]');
  await page.fill('[data-test="headline"]', 'Disimpan dengan Papan Ketik');
  assert.equal(await page.locator('[data-test="headline-length"]').textContent(), '27 karakter');
  await page.click('.ed-doc');
  await page.keyboard.type('Satu dua tiga empat.');
  assert.match(await page.locator('[data-test="word-count"]').textContent(), /^4 kata/);
  await page.keyboard.press('Control+s');
  await page.waitForSelector('[data-test="saved"]');
  assert.match(page.url(), /\/admin\/articles\/\d+\?saved=1$/);
  assert.match(await page.locator('[data-test="word-count"]').textContent(), /^4 kata · sekitar 1 menit baca$/);
  // Nothing typed since: leaving asks nothing.
  let asked = null;
  page.on('dialog', (d) => {
    asked = d.type();
    d.accept();
  });
  await page.goto(`${warta.url}/admin`);
  assert.equal(asked, null);
  await page.goBack();
  await page.waitForSelector('[data-test="body-editor"]');
  await page.fill('[data-test="lede"]', 'Ringkasan yang belum disimpan.');
  await page.close({ runBeforeUnload: true });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(asked, 'beforeunload', 'leaving with unsaved changes asks first');
  assert.deepEqual(errors, []);
});
