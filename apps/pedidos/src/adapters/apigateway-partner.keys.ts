import {
  type APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetUsagePlansCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import type { PartnerKeys } from '../application/ports';

/** Partners' API keys in API Gateway, each bound to the partners' usage plan (found by its name once). */
export class ApiGatewayPartnerKeys implements PartnerKeys {
  private planId?: Promise<string>;

  constructor(
    private readonly client: APIGatewayClient,
    private readonly usagePlanName: string,
  ) {}

  private usagePlanId(): Promise<string> {
    this.planId ??= (async () => {
      let position: string | undefined;
      do {
        const page = await this.client.send(new GetUsagePlansCommand({ position, limit: 500 }));
        const plan = page.items?.find((p) => p.name === this.usagePlanName);
        if (plan?.id) return plan.id;
        position = page.position;
      } while (position);
      throw new Error(`No usage plan named ${this.usagePlanName}`);
    })();
    this.planId.catch(() => (this.planId = undefined));
    return this.planId;
  }

  async issue(name: string): Promise<{ apiKeyId: string; apiKey: string }> {
    const key = await this.client.send(
      new CreateApiKeyCommand({ name, enabled: true, description: 'B2B partner key (pedidos)' }),
    );
    await this.client.send(
      new CreateUsagePlanKeyCommand({
        usagePlanId: await this.usagePlanId(),
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
