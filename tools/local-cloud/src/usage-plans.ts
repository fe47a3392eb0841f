import { randomBytes } from 'node:crypto';
import type { Provisioner } from './provision';

export interface ApiKey {
  id: string;
  name: string;
  value: string;
  enabled: boolean;
}

interface Plan {
  id: string;
  name: string;
  apiIds: Set<string>;
  throttle?: { rateLimit: number; burstLimit: number };
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' };
  /** Quota use per key: API Gateway counts a plan's quota for each of its keys. */
  used: Map<string, { count: number; resetsAt: number }>;
  keys: Set<string>;
  buckets: Map<string, { tokens: number; at: number }>;
}

export type KeyDecision = { ok: true; key: ApiKey } | { ok: false; status: 403 | 429; message: string };

const PERIOD_MS = { DAY: 86_400_000, WEEK: 7 * 86_400_000, MONTH: 30 * 86_400_000 };

/**
 * API keys and usage plans as API Gateway applies them: a method that requires a key answers 403 without a
 * known, enabled key in a plan for its API; 429 past the plan's throttle (token bucket per key) or quota.
 */
export class UsagePlans {
  readonly keys = new Map<string, ApiKey>();
  private readonly plans: Plan[] = [];

  constructor(p: Provisioner) {
    for (const k of p.byType('AWS::ApiGateway::ApiKey')) {
      const value = (k.properties['Value'] as string | undefined) ?? randomBytes(20).toString('hex');
      this.keys.set(k.ref, {
        id: k.ref,
        name: String(k.properties['Name'] ?? k.logicalId),
        value,
        enabled: k.properties['Enabled'] !== false,
      });
    }
    for (const u of p.byType('AWS::ApiGateway::UsagePlan')) {
      const t = u.properties['Throttle'] as { RateLimit?: number; BurstLimit?: number } | undefined;
      const q = u.properties['Quota'] as { Limit?: number; Period?: 'DAY' | 'WEEK' | 'MONTH' } | undefined;
      this.plans.push({
        id: u.ref,
        name: String(u.properties['UsagePlanName'] ?? u.logicalId),
        apiIds: new Set(((u.properties['ApiStages'] as { ApiId: string }[]) ?? []).map((s) => s.ApiId)),
        throttle: t ? { rateLimit: t.RateLimit ?? 10_000, burstLimit: t.BurstLimit ?? 5_000 } : undefined,
        quota: q?.Limit ? { limit: q.Limit, period: q.Period ?? 'DAY' } : undefined,
        used: new Map(),
        keys: new Set(),
        buckets: new Map(),
      });
    }
    for (const uk of p.byType('AWS::ApiGateway::UsagePlanKey')) {
      this.plans
        .find((plan) => plan.id === uk.properties['UsagePlanId'])
        ?.keys.add(String(uk.properties['KeyId']));
    }
  }

  check(apiId: string, value: string | undefined, now = Date.now()): KeyDecision {
    const key = [...this.keys.values()].find((k) => k.value === value);
    const plan = key && this.plans.find((pl) => pl.keys.has(key.id) && pl.apiIds.has(apiId));
    if (!key || !key.enabled || !plan) return { ok: false, status: 403, message: 'Forbidden' };
    let use: { count: number; resetsAt: number } | undefined;
    if (plan.quota) {
      use = plan.used.get(key.id);
      if (!use || now >= use.resetsAt) {
        use = { count: 0, resetsAt: now + PERIOD_MS[plan.quota.period] };
        plan.used.set(key.id, use);
      }
      if (use.count >= plan.quota.limit) return { ok: false, status: 429, message: 'Limit Exceeded' };
    }
    if (plan.throttle) {
      const b = plan.buckets.get(key.id) ?? { tokens: plan.throttle.burstLimit, at: now };
      b.tokens = Math.min(
        plan.throttle.burstLimit,
        b.tokens + ((now - b.at) / 1000) * plan.throttle.rateLimit,
      );
      b.at = now;
      plan.buckets.set(key.id, b);
      if (b.tokens < 1) return { ok: false, status: 429, message: 'Too Many Requests' };
      b.tokens -= 1;
    }
    if (use) use.count += 1;
    return { ok: true, key };
  }

  /** `GetUsagePlans`. */
  list(): { id: string; name: string; quota?: { limit: number; period: string } }[] {
    return this.plans.map((p) => ({ id: p.id, name: p.name, ...(p.quota ? { quota: p.quota } : {}) }));
  }

  /**
   * `GetUsage` for the current quota period: per key of the plan, `[[used, remaining]]` (one period, where
   * API Gateway gives one pair per day of the range); undefined for an unknown plan.
   */
  usage(planId: string, keyId?: string, now = Date.now()): Record<string, [number, number][]> | undefined {
    const plan = this.plans.find((p) => p.id === planId);
    if (!plan) return undefined;
    const items: Record<string, [number, number][]> = {};
    for (const id of plan.keys) {
      if (keyId && id !== keyId) continue;
      const use = plan.used.get(id);
      const used = use && now < use.resetsAt ? use.count : 0;
      items[id] = [[used, plan.quota ? Math.max(0, plan.quota.limit - used) : 0]];
    }
    return items;
  }

  /** `CreateApiKey`: a new key (a random 40-character value unless one is given). */
  createKey(name: string, enabled = true, value?: string): ApiKey {
    const id = randomBytes(5).toString('hex');
    const key = { id, name, value: value ?? randomBytes(20).toString('hex'), enabled };
    this.keys.set(id, key);
    return key;
  }

  /** `CreateUsagePlanKey`: false when the plan or the key does not exist. */
  attach(planId: string, keyId: string): boolean {
    const plan = this.plans.find((p) => p.id === planId);
    if (!plan || !this.keys.has(keyId)) return false;
    plan.keys.add(keyId);
    return true;
  }

  /** The keys and which plan holds each (for `--persist`; quota counts start again at each run). */
  snapshot(): { keys: ApiKey[]; plans: Record<string, string[]> } {
    return {
      keys: [...this.keys.values()],
      plans: Object.fromEntries(this.plans.map((p) => [p.id, [...p.keys]])),
    };
  }

  /** Takes back an earlier run's keys (same ids and values) and plan memberships. */
  restore(saved: { keys: ApiKey[]; plans: Record<string, string[]> }): void {
    for (const key of saved.keys) this.keys.set(key.id, { ...key });
    for (const [planId, keyIds] of Object.entries(saved.plans))
      for (const keyId of keyIds) this.attach(planId, keyId);
  }

  /** `DeleteApiKey`. */
  deleteKey(keyId: string): boolean {
    for (const plan of this.plans) plan.keys.delete(keyId);
    return this.keys.delete(keyId);
  }
}
