/**
 * CPU time by process group on this machine (Linux `/proc`), for the bench's "where does an order's CPU
 * go": DynamoDB Local's JVM, the local cloud's own process (gateways, event sources), each function's
 * sandboxes and the other emulators. Elsewhere (no `/proc`) it reports nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

function groupOf(pid: string, self: number): string | undefined {
  const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  if (Number(pid) === self) return 'local cloud (gateways, event sources, proxies)';
  if (/\bjava\b/.test(cmd) && cmd.includes('DynamoDB')) return 'DynamoDB Local (JVM)';
  const emulator = /emulator-host\.cjs (\S+)/.exec(cmd)?.[1];
  if (emulator) return `${emulator} emulator`;
  if (cmd.includes('lambda-worker')) {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const name = /AWS_LAMBDA_FUNCTION_NAME=([^\0]*)/.exec(env)?.[1] ?? 'function';
    return `λ ${name.replace(/^OrderPlatform-[^-]+-/, '').replace(/Function[0-9A-F]{8}$/, '')}`;
  }
  return undefined;
}

/** CPU seconds used so far by each group of this machine's processes. */
export function cpuByGroup(self = process.pid): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync('/proc/self/stat')) return out;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const group = groupOf(pid, self);
      if (!group) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      out.set(group, (out.get(group) ?? 0) + seconds);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

/** CPU seconds each group used between two readings (processes that ended in between are not counted). */
export function cpuBetween(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([group, s]) => [group, Math.max(0, s - (before.get(group) ?? 0))]));
}
