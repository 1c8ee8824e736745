// Starts a real `warta serve --demo` on a free loopback port with a fresh data folder,
// for the browser tests and the page validators. No dependencies.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function wartaBinary() {
  if (process.env.WARTA_BIN) return process.env.WARTA_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(repo, 'target');
  return join(target, 'debug', 'warta');
}

// `toml`: a warta.toml for the data folder (e.g. a `[mail]` server), if any.
export async function startWarta({ toml } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'warta-browser-'));
  if (toml) writeFileSync(join(data, 'warta.toml'), toml);
  const child = spawn(wartaBinary(), ['serve', '--demo', '--data', data, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`warta did not start in 60 s:\n${log}`)), 60_000);
    const onData = (chunk) => {
      log += chunk;
      const m = /Warta is serving (http:\/\/[^\s]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`warta exited with ${code}:\n${log}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}
