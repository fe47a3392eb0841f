import { validateSchema } from './json-schema';

describe('validateSchema (API Gateway request models)', () => {
  const schema = {
    anyOf: [
      {
        type: 'object',
        required: ['ref'],
        additionalProperties: false,
        properties: {
          ref: { type: 'string', minLength: 1 },
          qty: { type: 'integer', minimum: 1, maximum: 10 },
        },
      },
      { type: 'object', required: ['orders'], properties: { orders: { type: 'array' } } },
    ],
  };

  it('takes a value that fits one option', () => {
    expect(validateSchema(schema, { ref: 'a', qty: 2 })).toEqual([]);
    expect(validateSchema(schema, { orders: [] })).toEqual([]);
  });

  it('names what is wrong with the closest option when none fits', () => {
    // Act
    const errors = validateSchema(schema, { ref: 'a', qty: 11, extra: { deep: {} } });
    // Assess
    expect(errors).toEqual([
      '$.extra: is not allowed',
      '$.qty: must be <= 10',
      '$: must match a schema in anyOf',
    ]);
  });

  it('checks draft-4 keywords the gateway models use, naming each field', () => {
    const model = {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['items'],
      properties: {
        items: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', properties: { quantity: { type: 'integer', minimum: 1 } } },
        },
        ref: { type: 'string', pattern: '^[A-Z]+$', maxLength: 3 },
      },
    };
    expect(validateSchema(model, { items: [{ quantity: 0 }], ref: 'abcd' })).toEqual([
      '$.items.0.quantity: must be >= 1',
      '$.ref: must NOT have more than 3 characters',
      '$.ref: must match pattern "^[A-Z]+$"',
    ]);
    expect(validateSchema(model, {})).toEqual(['$.items: is required']);
  });
});
