// Starts a real `warta serve --demo` (tests/support/warta.mjs) and launches Debian's
// Chromium through playwright-core.
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
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
