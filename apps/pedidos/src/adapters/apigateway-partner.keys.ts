import {
  type APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetUsagePlansCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import type { PartnerKeys, PartnerPlan } from '../application/ports';

/** Partners' API keys in API Gateway, each bound to its tier's usage plan (found by name, once). */
export class ApiGatewayPartnerKeys implements PartnerKeys {
  private readonly planIds = new Map<PartnerPlan, Promise<string>>();

  constructor(
    private readonly client: APIGatewayClient,
    private readonly planNames: Record<PartnerPlan, string>,
  ) {}

  private usagePlanId(tier: PartnerPlan): Promise<string> {
    let id = this.planIds.get(tier);
    if (!id) {
      const name = this.planNames[tier];
      id = (async () => {
        let position: string | undefined;
        do {
          const page = await this.client.send(new GetUsagePlansCommand({ position, limit: 500 }));
          const plan = page.items?.find((p) => p.name === name);
          if (plan?.id) return plan.id;
          position = page.position;
        } while (position);
        throw new Error(`No usage plan named ${name}`);
      })();
      id.catch(() => this.planIds.delete(tier));
      this.planIds.set(tier, id);
    }
    return id;
  }

  async issue(name: string, plan: PartnerPlan): Promise<{ apiKeyId: string; apiKey: string }> {
    const key = await this.client.send(
      new CreateApiKeyCommand({ name, enabled: true, description: 'B2B partner key (pedidos)' }),
    );
    await this.client.send(
      new CreateUsagePlanKeyCommand({
        usagePlanId: await this.usagePlanId(plan),
        keyId: key.id!,
        keyType: 'API_KEY',
      }),
    );
    return { apiKeyId: key.id!, apiKey: key.value! };
  }

  async disable(apiKeyId: string): Promise<void> {
    await this.client.send(
      new UpdateApiKeyCommand({
        apiKey: apiKeyId,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      }),
    );
  }

  async revoke(apiKeyId: string): Promise<void> {
    await this.client.send(new DeleteApiKeyCommand({ apiKey: apiKeyId }));
  }
}
