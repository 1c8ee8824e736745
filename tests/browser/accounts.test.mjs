// Accounts by email, as people use them, at 1366 px and 390 px: a reporter who forgot
// the password asks for a link on the login page, opens it from the mail received
// and is in with a new password (the old one no longer works); an admin invites a
// colleague, who chooses a password from the invitation. The mail goes to an SMTP
// receiver inside this test (npm's smtp-server). Screenshots land in screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { startWarta, launchBrowser, screenshots, firstAdmin, loginAt, fits } from './harness.mjs';

let warta;
let browser;
let smtp;
const inbox = [];
const waiting = [];
const PASSWORD = 'kata-sandi-rahasia-4';

// Quoted-printable to text (the mail's link line is longer than 76 characters).
const unQp = (s) => s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));

function received(raw) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  const text = /content-transfer-encoding:\s*quoted-printable/i.test(head) ? unQp(body) : body;
  return { head, text };
}

// The next mail to `to` (waiting up to 10 s).
function mailTo(to) {
  const found = inbox.find((m) => m.to.includes(to) && !m.taken);
  if (found) { found.taken = true; return Promise.resolve(found); }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no mail to ${to}; got ${inbox.map((m) => m.to)}`)), 10_000);
    waiting.push({ to, resolve: (m) => { clearTimeout(timer); m.taken = true; resolve(m); } });
  });
}

// The link a mail carries, as a path on the server under test.
const linkPath = (m) => /\/admin\/(?:reset|invite)\/[0-9a-f]{64}/.exec(m.text)?.[0];

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c) => { raw += c; });
      stream.on('end', () => {
        const m = { to: session.envelope.rcptTo.map((r) => r.address), ...received(raw) };
        inbox.push(m);
        const i = waiting.findIndex((w) => m.to.includes(w.to));
        if (i >= 0) waiting.splice(i, 1)[0].resolve(m);
        done();
      });
    },
  });
  await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = smtp.server.address().port;
  warta = await startWarta({
    toml: `[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = ${port}\nsecurity = "none"\nfrom = "Redaksi Warta <redaksi@warta.test>"\n`,
  });
  browser = await launchBrowser();
  await firstAdmin(browser, warta.url, { name: 'Dewi Redaktur', email: 'dewi@warta.test', password: PASSWORD });
});

after(async () => {
  await browser?.close();
  warta?.stop();
  await new Promise((resolve) => (smtp ? smtp.close(resolve) : resolve()));
});

for (const [width, height] of [[1366, 900], [390, 844]]) {
  test(`an invited colleague chooses a password, then resets it from the mail at ${width}px`, { timeout: 120_000 }, async () => {
    const email = `rudi${width}@warta.test`;
    // The admin invites Rudi without giving a password.
    const { page: admin, errors } = await loginAt(browser, warta.url, { email: 'dewi@warta.test', password: PASSWORD, width, height });
    await admin.goto(`${warta.url}/admin/users`);
    await admin.fill('#name', `Rudi Hartono ${width}`);
    await admin.fill('#email', email);
    await admin.selectOption('#role', 'contributor');
    assert.match(await admin.textContent('[data-test="password-help"]'), /Kosongkan untuk mengirim undangan/);
    await admin.click('[data-test="add-user"] button[type="submit"]');
    assert.match(await admin.textContent('[data-test="done"]'), new RegExp(`Undangan untuk ${email} terkirim`));
    const row = admin.locator('[data-test="user-row"]', { hasText: email });
    assert.match(await row.textContent(), /undangan belum diterima/);
    await admin.screenshot({ path: join(screenshots, `accounts-invited-${width}.png`), fullPage: true });
    await fits(admin);

    // Rudi opens the invitation in his own browser and chooses a password.
    const invite = await mailTo(email);
    assert.match(invite.head, /Subject: Undangan ke ruang redaksi/);
    const rudi = await browser.newContext({ viewport: { width, height } });
    const page = await rudi.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${warta.url}${linkPath(invite)}`);
    assert.match(await page.textContent('[data-test="intro"]'), new RegExp(`Rudi Hartono ${width}, Anda diundang .* sebagai Kontributor`));
    await page.screenshot({ path: join(screenshots, `accounts-invitation-${width}.png`), fullPage: true });
    await fits(page);
    await page.fill('[data-test="password"]', 'sandi-pilihan-rudi');
    await page.fill('[data-test="again"]', 'sandi-pilihan-rudi');
    await page.click('[data-test="save"]');
    await page.waitForSelector('[data-test="nav-articles"]');
    assert.match(await page.textContent('[data-test="done"]'), /Kata sandi tersimpan/);
    await page.click('[data-test="logout"]');
    await page.waitForSelector('[data-test="forgot"]');

    // Later Rudi forgets it: "Lupa kata sandi?" on the login page.
    await page.click('[data-test="forgot"]');
    await page.fill('[data-test="email"]', email);
    await page.click('[data-test="send"]');
    assert.match(await page.textContent('[data-test="done"]'), new RegExp(`Jika ${email} punya akun di sini`));
    await page.screenshot({ path: join(screenshots, `accounts-reset-asked-${width}.png`), fullPage: true });
    await fits(page);
    const reset = await mailTo(email);
    assert.match(reset.head, /Subject: Atur ulang kata sandi/);
    await page.goto(`${warta.url}${linkPath(reset)}`);
    // Two different passwords are refused, and said so.
    await page.fill('[data-test="password"]', 'sandi-baru-rudi-1');
    await page.fill('[data-test="again"]', 'sandi-baru-rudi-2');
    await page.click('[data-test="save"]');
    assert.match(await page.textContent('[data-test="message"]'), /Kedua kata sandi tidak sama/);
    await page.fill('[data-test="password"]', 'sandi-baru-rudi');
    await page.fill('[data-test="again"]', 'sandi-baru-rudi');
    await page.screenshot({ path: join(screenshots, `accounts-reset-choose-${width}.png`), fullPage: true });
    await fits(page);
    await page.click('[data-test="save"]');
    await page.waitForSelector('[data-test="nav-articles"]');
    // The old password no longer opens the account; the new one does.
    const other = await browser.newContext({ viewport: { width, height } });
    const check = await other.newPage();
    await check.goto(`${warta.url}/admin/login`);
    await check.fill('[data-test="email"]', email);
    await check.fill('[data-test="password"]', 'sandi-pilihan-rudi');
    await check.click('[data-test="login"]');
    assert.match(await check.textContent('[data-test="message"]'), /salah/);
    // The link was used: opening it again says so.
    await check.goto(`${warta.url}${linkPath(reset)}`);
    assert.match(await check.textContent('[data-test="message"]'), /sudah dipakai/);
    await other.close();
    await rudi.close();
    await admin.context().close();
    assert.deepEqual([...errors, ...pageErrors], []);
  });
}
