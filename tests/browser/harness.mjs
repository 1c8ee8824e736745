// Starts a real `warta serve --demo` (tests/support/warta.mjs) and launches Debian's
// Chromium through playwright-core.
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
export { startWarta, wartaBinary } from '../support/warta.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const screenshots = join(here, 'screenshots');
mkdirSync(screenshots, { recursive: true });

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// Creates the first admin on a fresh site's first-run page.
export async function firstAdmin(browser, url, { name, email, password }) {
  const page = await browser.newPage();
  await page.goto(`${url}/admin`);
  await page.fill('#name', name);
  await page.fill('[data-test="email"]', email);
  await page.fill('#password', password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-test="desk"]');
  await page.close();
}

// Logs in, in a new window of this size. `errors` collects the page's script errors
// and console errors (but those matching `ignore`).
export async function loginAt(browser, url, { email, password, width, height, ignore }) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !(ignore && ignore.test(m.text()))) errors.push(m.text());
  });
  await page.goto(`${url}/admin/login`);
  await page.fill('[data-test="email"]', email);
  await page.fill('[data-test="password"]', password);
  await page.click('[data-test="login"]');
  await page.waitForSelector('[data-test="nav-articles"]');
  return { page, errors };
}

// No horizontal scrolling: the page fits the window it is shown in.
export async function fits(page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `page is ${scroll}px wide in a ${client}px window`);
}
