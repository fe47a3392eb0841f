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
      '$: matches 0 of the anyOf schemas',
      '$.qty: above 10',
      '$.extra: is not allowed',
    ]);
  });
});
