import type { LocalCloud } from '@order-platform/local-cloud';
import { signIn, startPlatformLocally } from '@order-platform/local-platform';
import { callApi, type Json } from '@order-platform/testing';

/** The running platform and a small client of its public REST API. */
export interface Platform {
  cloud: LocalCloud;
  api: string;
  token(user: 'customer' | 'customer2' | 'admin'): Promise<string>;
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: Json; headers: Headers }>;
  waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  emails(): Promise<{ subject: string; destination: { to: string[] }; body: { text: string } }[]>;
}

export async function startPlatform(): Promise<Platform> {
  const cloud = await startPlatformLocally({ outputsDir: null });
  const tokens = new Map<string, string>();
  const api = cloud.outputs.apiUrl;
  return {
    cloud,
    api,
    async token(user) {
      if (!tokens.has(user)) tokens.set(user, await signIn(cloud, user));
      return tokens.get(user)!;
    },
    call: (method, path, options = {}) => callApi(api, method, path, options),
    async waitFor(probe, timeoutMs = 60000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async emails() {
      const res = await fetch(`${cloud.outputs.emulators['ses']}/store`);
      return ((await res.json()) as { emails: never[] }).emails;
    },
  };
}
