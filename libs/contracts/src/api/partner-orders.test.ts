import { MAX_PARTNER_BATCH, PartnerOrder, PartnerOrders, partnerOrdersJsonSchema } from './partner-orders';

/** The largest order the schema allows: every string at its longest, in the widest characters allowed. */
function largestOrder(i: number) {
  const wide = (n: number) => 'ɏ'.repeat(n); // U+024F: two bytes in UTF-8, the widest allowed letter
  return {
    partnerOrderRef: `R${i}`.padEnd(64, '9'),
    items: Array.from({ length: 50 }, (_, j) => ({ productId: `p${j}`.padEnd(64, 'x'), quantity: 1000 })),
    deliverTo: {
      name: wide(120),
      street: wide(200),
      number: wide(20),
      complement: wide(120),
      district: wide(120),
      city: wide(120),
      state: 'SP',
      postalCode: '01310-100',
      phone: '+55 (11) 99999-9999',
    },
  };
}

describe('the partner request schema', () => {
  it('keeps the largest batch it allows well inside one SQS message (256 KiB, the classic limit)', () => {
    // Prepare
    const batch = { orders: Array.from({ length: MAX_PARTNER_BATCH }, (_, i) => largestOrder(i)) };
    // Act
    const parsed = PartnerOrders.safeParse(batch);
    const bytes = Buffer.byteLength(JSON.stringify(batch), 'utf8');
    // Assess
    expect(parsed.success).toBe(true);
    expect(bytes).toBeLessThan(256 * 1024);
  });

  it('refuses what SQS refuses or what could not be read back: controls, U+FFFF, unknown and deep fields', () => {
    // Prepare
    const base = largestOrder(1);
    const cases = {
      control: { ...base, deliverTo: { ...base.deliverTo, name: 'a\u0001b' } },
      ffff: { ...base, deliverTo: { ...base.deliverTo, city: 'x\uffff' } },
      surrogate: { ...base, deliverTo: { ...base.deliverTo, city: 'x\ud800' } },
      deep: { ...base, deliverTo: { ...base.deliverTo, extra: { a: { b: {} } } } },
      unknown: { ...base, note: 'hi' },
      whitespaceRef: { ...base, partnerOrderRef: '   ' },
      hugeQuantity: { ...base, items: [{ sku: 'A', quantity: 2 ** 60 }] },
      bothIds: { ...base, items: [{ sku: 'A', productId: 'prod-a', quantity: 1 }] },
    };
    // Act + Assess
    for (const [name, value] of Object.entries(cases))
      expect({ name, ok: PartnerOrder.safeParse(value).success }).toEqual({ name, ok: false });
  });

  it('generates the gateway model: draft 4, closed objects, the same bounds', () => {
    // Act
    const schema = partnerOrdersJsonSchema() as { $schema: string; anyOf: Record<string, unknown>[] };
    // Assess
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(schema.anyOf).toHaveLength(2);
    const single = schema.anyOf[0] as {
      additionalProperties: boolean;
      properties: Record<string, Record<string, unknown>>;
    };
    expect(single.additionalProperties).toBe(false);
    expect(single.properties['partnerOrderRef']).toMatchObject({
      maxLength: 64,
      pattern: expect.any(String),
    });
    expect(JSON.stringify(schema)).not.toContain('"$ref"');
  });
});
