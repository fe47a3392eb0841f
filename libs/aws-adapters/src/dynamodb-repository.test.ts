import { newEvent } from '@order-platform/contracts';
import { OUTBOX_TTL_SECONDS, outboxPut } from './dynamodb-repository';

describe('outboxPut', () => {
  it('records the event once, marked for the stream filter, with a TTL a week out', () => {
    // Prepare
    const event = newEvent(
      'OrderRejected',
      'pedidos',
      { orderId: 'o1', customerId: 'c1', reason: 'Out of stock' },
      { correlationId: 'c' },
    );
    const now = Date.parse('2026-11-22T12:00:00Z');
    // Act
    const op = outboxPut('orders', event, now);
    // Assess
    expect(op.Put).toEqual({
      TableName: 'orders',
      Item: {
        pk: `OUTBOX#${event.id}`,
        sk: 'OUTBOX',
        kind: 'outbox',
        eventType: 'OrderRejected',
        event,
        expiresAt: now / 1000 + OUTBOX_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('keeps the trace the change was made in, for the publisher to carry on', () => {
    const event = newEvent(
      'OrderRejected',
      'pedidos',
      { orderId: 'o1', customerId: 'c1', reason: 'x' },
      {
        correlationId: 'c',
      },
    );
    const header = 'Root=1-6b159355-b5f13f943e4b8ce29a174bac;Parent=b8c23355e16e4519;Sampled=1';
    expect(outboxPut('orders', event, Date.now(), header).Put!.Item!['traceHeader']).toBe(header);
    expect(outboxPut('orders', event, Date.now(), undefined).Put!.Item).not.toHaveProperty('traceHeader');
  });
});
