import {
  type APIGatewayClient,
  GetApiKeyCommand,
  GetUsageCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import type { PartnerQuotas } from '../application/ports';

/**
 * Partners' quota use of the day from API Gateway: the partner usage plans (found by their name prefix,
 * `OrderPlatform-<stage>-Pedidos-partners`), each key's usage, and the partner each key was issued to
 * (pedidos names a partner's key `partner-<partnerId>`).
 */
export class ApiGatewayPartnerQuotas implements PartnerQuotas {
  private readonly keyNames = new Map<string, string>();

  constructor(
    private readonly client: APIGatewayClient,
    private readonly planPrefix: string,
  ) {}

  async usedToday(now: Date): Promise<Record<string, { used: number; limit: number }>> {
    const day = now.toISOString().slice(0, 10);
    const plans: { id: string; limit: number }[] = [];
    let position: string | undefined;
    do {
      const page = await this.client.send(new GetUsagePlansCommand({ position, limit: 500 }));
      for (const p of page.items ?? [])
        if (p.id && p.name?.startsWith(this.planPrefix)) plans.push({ id: p.id, limit: p.quota?.limit ?? 0 });
      position = page.position;
    } while (position);
    const out: Record<string, { used: number; limit: number }> = {};
    for (const plan of plans) {
      const usage = await this.client.send(
        new GetUsageCommand({ usagePlanId: plan.id, startDate: day, endDate: day }),
      );
      for (const [keyId, days] of Object.entries(usage.items ?? {})) {
        const [used = 0, remaining = 0] = days.at(-1) ?? [];
        const partnerId = /^partner-(.+)$/.exec(await this.keyName(keyId))?.[1];
        if (partnerId) out[partnerId] = { used, limit: plan.limit || used + remaining };
      }
    }
    return out;
  }

  private async keyName(keyId: string): Promise<string> {
    let name = this.keyNames.get(keyId);
    if (name === undefined) {
      name = (await this.client.send(new GetApiKeyCommand({ apiKey: keyId }))).name ?? '';
      this.keyNames.set(keyId, name);
    }
    return name;
  }
}
