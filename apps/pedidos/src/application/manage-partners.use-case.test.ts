import { disablePartner, PartnerExistsError, registerPartner } from './manage-partners.use-case';
import type { Partner, PartnerKeys, PartnerRegistry } from './ports';

class InMemoryPartners implements PartnerRegistry {
  readonly byKey = new Map<string, Partner>();
  async byApiKey(apiKeyId: string) {
    return this.byKey.get(apiKeyId);
  }
  async byId(partnerId: string) {
    return [...this.byKey.values()].find((p) => p.partnerId === partnerId);
  }
  async register(partner: Partner) {
    if (await this.byId(partner.partnerId)) return false;
    this.byKey.set(partner.apiKeyId, partner);
    return true;
  }
  async setStatus(partner: Partner, status: Partner['status']) {
    this.byKey.set(partner.apiKeyId, { ...partner, status });
  }
  async orderFor() {
    return undefined;
  }
}

class FakeKeys implements PartnerKeys {
  readonly keys = new Map<string, { name: string; plan: string; enabled: boolean }>();
  private next = 0;
  async issue(name: string, plan: string) {
    const apiKeyId = `key-${++this.next}`;
    this.keys.set(apiKeyId, { name, plan, enabled: true });
    return { apiKeyId, apiKey: `secret-${this.next}` };
  }
  async disable(apiKeyId: string) {
    this.keys.get(apiKeyId)!.enabled = false;
  }
  async revoke(apiKeyId: string) {
    this.keys.delete(apiKeyId);
  }
}

const request = {
  partnerId: 'drogaria-sul',
  name: 'Drogaria Sul',
  email: 'compras@drogariasul.example.com',
  billing: { legalName: 'Drogaria Sul Ltda', taxId: '12345678000199' },
};

function setup() {
  const partners = new InMemoryPartners();
  const keys = new FakeKeys();
  return {
    partners,
    keys,
    deps: { partners, keys, now: () => new Date('2026-11-23T10:00:00Z'), newSecret: () => 'sekret' },
  };
}

describe('registerPartner', () => {
  it('issues a key in the plan and stores the partner ACTIVE with its billing data, returning the key once', async () => {
    // Prepare
    const { partners, keys, deps } = setup();
    // Act
    const { partner, apiKey } = await registerPartner(deps, request);
    // Assess
    expect(apiKey).toBe('secret-1');
    expect(partner).toMatchObject({
      partnerId: 'drogaria-sul',
      status: 'ACTIVE',
      customerId: 'partner-drogaria-sul',
      apiKeyId: 'key-1',
      billing: request.billing,
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    expect(JSON.stringify([...partners.byKey.values()])).not.toContain('secret-1');
    expect(keys.keys.get('key-1')).toEqual({ name: 'partner-drogaria-sul', plan: 'standard', enabled: true });
    expect(partner.plan).toBe('standard');
  });

  it('refuses a taken id before issuing any key', async () => {
    // Prepare
    const { keys, deps } = setup();
    await registerPartner(deps, request);
    // Act / Assess
    await expect(registerPartner(deps, { ...request, name: 'Other' })).rejects.toBeInstanceOf(
      PartnerExistsError,
    );
    expect([...keys.keys.keys()]).toEqual(['key-1']);
  });

  it('deletes the new key again when the id was taken meanwhile', async () => {
    // Prepare: the registry refuses the write as if another admin had just taken the id.
    const { partners, keys, deps } = setup();
    partners.register = async () => false;
    // Act / Assess
    await expect(registerPartner(deps, request)).rejects.toBeInstanceOf(PartnerExistsError);
    expect(keys.keys.size).toBe(0);
  });
});

describe('disablePartner', () => {
  it('disables the key and the partner; an unknown partner is undefined', async () => {
    // Prepare
    const { partners, keys, deps } = setup();
    await registerPartner(deps, request);
    // Act
    const disabled = await disablePartner(deps, 'drogaria-sul');
    const unknown = await disablePartner(deps, 'nobody');
    // Assess
    expect(disabled?.status).toBe('DISABLED');
    expect((await partners.byId('drogaria-sul'))?.status).toBe('DISABLED');
    expect(keys.keys.get('key-1')?.enabled).toBe(false);
    expect(unknown).toBeUndefined();
  });
});
