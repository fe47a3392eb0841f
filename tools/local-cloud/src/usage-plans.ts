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
  apiIds: Set<string>;
  throttle?: { rateLimit: number; burstLimit: number };
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; used: number; resetsAt: number };
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
        apiIds: new Set(((u.properties['ApiStages'] as { ApiId: string }[]) ?? []).map((s) => s.ApiId)),
        throttle: t ? { rateLimit: t.RateLimit ?? 10_000, burstLimit: t.BurstLimit ?? 5_000 } : undefined,
        quota: q?.Limit ? { limit: q.Limit, period: q.Period ?? 'DAY', used: 0, resetsAt: 0 } : undefined,
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
    if (plan.quota) {
      if (now >= plan.quota.resetsAt) {
        plan.quota.used = 0;
        plan.quota.resetsAt = now + PERIOD_MS[plan.quota.period];
      }
      if (plan.quota.used >= plan.quota.limit) return { ok: false, status: 429, message: 'Limit Exceeded' };
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
    if (plan.quota) plan.quota.used += 1;
    return { ok: true, key };
  }
}
