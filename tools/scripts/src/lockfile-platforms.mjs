#!/usr/bin/env node
// The registry mirror of this workplace serves only the platform packages of linux-x64, so `npm install`
// drops the other platforms' optional binaries (@nx/nx-darwin-arm64, @swc/core-win32-x64-msvc, ...) from
// package-lock.json, and `npm ci` then refuses the lockfile as out of sync. This adds those entries back,
// marked optional with their os and cpu, so `npm ci` skips them as on any other machine.
// Run after `npm install` changes the lockfile: node tools/scripts/src/lockfile-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const OS = [
  'darwin',
  'linux',
  'win32',
  'android',
  'freebsd',
  'openharmony',
  'netbsd',
  'openbsd',
  'sunos',
  'aix',
];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  const optional = Object.entries(entry.optionalDependencies ?? {});
  // Where this package's installed siblings live: next to it (nested) or at the top (hoisted).
  const nestedBase = path.includes('/node_modules/') ? path.slice(0, path.lastIndexOf('/node_modules/')) : '';
  const nested = nestedBase && optional.some(([n]) => lock.packages[`${nestedBase}/node_modules/${n}`]);
  for (const [name, version] of optional) {
    const at = nested ? `${nestedBase}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[at]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p));
    if (!os && !cpu) continue;
    lock.packages[at] = {
      version: version.replace(/^[\^~]/, ''),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(os ? { os: [os] } : cpu === 'wasm32' ? {} : {}),
      optional: true,
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: ${added} platform package entries added`);
