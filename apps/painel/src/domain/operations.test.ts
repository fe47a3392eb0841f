import {
  deadLetterQueueView,
  describeDeadLetter,
  isDeadLetterQueue,
  partnerStats,
  serviceOfQueue,
  stuckOrders,
  type DeadLetterMessage,
} from './operations';

const envelope = (type: string, orderId: string) =>
  JSON.stringify({ id: 'e1', type, source: 'pedidos', data: { orderId } });
const message = (body: string, extra: Partial<DeadLetterMessage> = {}): DeadLetterMessage => ({
  messageId: 'm1',
  body,
  sentAt: Date.parse('2026-12-06T10:00:00Z'),
  receiveCount: 5,
  attributes: {},
  ...extra,
});

describe('the operations view', () => {
  it('tells a DLQ by the platform naming and its service by the stack part of its name', () => {
    expect(isDeadLetterQueue('OrderPlatform-dev-Pedidos-InboxDlq94EF58D2-Ab12')).toBe(true);
    expect(isDeadLetterQueue('OrderPlatform-dev-Pedidos-PlaceOrderAsyncDlq5233C972')).toBe(true);
    expect(isDeadLetterQueue('OrderPlatform-dev-Pedidos-InboxQueue96F60793')).toBe(false);
    expect(serviceOfQueue('OrderPlatform-dev-Faturas-InboxDlq94EF58D2')).toBe('faturas');
    expect(serviceOfQueue('elsewhere')).toBe('unknown');
  });

  it("reads a dead letter's event, order and last error from an inbox, an async DLQ and an on-failure record", () => {
    // Act
    const inbox = describeDeadLetter(message(envelope('OrderPlaced', 'o-1')));
    const asyncDlq = describeDeadLetter(
      message(JSON.stringify({ Records: [{ body: envelope('OrderCompleted', 'o-2') }] }), {
        attributes: { ErrorCode: '200', ErrorMessage: 'Task timed out after 20.02 seconds' },
      }),
    );
    const stream = describeDeadLetter(
      message(
        JSON.stringify({
          requestContext: { condition: 'RetryAttemptsExhausted' },
          responseContext: { functionError: 'Unhandled' },
          KinesisBatchInfo: { shardId: 's-1' },
        }),
      ),
    );
    const garbage = describeDeadLetter(message('not json'));
    const partner = describeDeadLetter(message(JSON.stringify({ partnerOrderRef: 'PO-1', items: [] })));
    // Assess
    expect(inbox).toMatchObject({ eventType: 'OrderPlaced', orderId: 'o-1', receiveCount: 5 });
    expect(inbox.lastError).toMatch(/received 5 time\(s\)/);
    expect(asyncDlq).toMatchObject({
      eventType: 'OrderCompleted',
      orderId: 'o-2',
      lastError: '200: Task timed out after 20.02 seconds',
    });
    expect(stream).toMatchObject({
      eventType: 'Kinesis batch',
      lastError: 'RetryAttemptsExhausted (Unhandled)',
    });
    expect(garbage.eventType).toBe('unreadable');
    expect(partner).toMatchObject({ eventType: 'partner order', reference: 'PO-1' });
  });

  it("shows a queue's alarm, its oldest message's age and where a redrive sends it", () => {
    // Act
    const view = deadLetterQueueView(
      {
        name: 'OrderPlatform-dev-Pedidos-InboxDlq94EF58D2',
        url: 'u',
        depth: 2,
        inFlight: 0,
        sources: ['src'],
      },
      [
        message(envelope('OrderPlaced', 'o-1')),
        message(envelope('OrderPlaced', 'o-2'), { sentAt: Date.parse('2026-12-06T09:00:00Z') }),
      ],
      new Date('2026-12-06T10:00:30Z'),
    );
    const empty = deadLetterQueueView(
      { name: 'OrderPlatform-dev-Pedidos-OutboxDlq6271C44E', url: 'u', depth: 0, inFlight: 0, sources: [] },
      [],
      new Date(),
    );
    // Assess
    expect(view).toMatchObject({ service: 'pedidos', alarm: 'ALARM', oldestAgeSeconds: 3630, source: 'src' });
    expect(view.messages).toHaveLength(2);
    expect(empty).toMatchObject({ alarm: 'OK', oldestAgeSeconds: 0, source: null, messages: [] });
  });

  it('lists orders stuck in a non-final status past the threshold, longest first', () => {
    // Prepare
    const now = new Date('2026-12-06T12:00:00Z');
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
    // Act
    const stuck = stuckOrders(
      [
        { orderId: 'a', status: 'RECEIVED', updatedAt: at(20) },
        { orderId: 'b', status: 'PROCESSING', updatedAt: at(60) },
        { orderId: 'c', status: 'PROCESSING', updatedAt: at(5) },
        { orderId: 'd', status: 'COMPLETED', updatedAt: at(90) },
      ],
      now,
      15,
    );
    // Assess
    expect(stuck.map((o) => [o.orderId, o.stuckForSeconds])).toEqual([
      ['b', 3600],
      ['a', 1200],
    ]);
  });

  it("counts each partner's orders of today, rejections, completions and dead callbacks", () => {
    // Prepare
    const now = new Date('2026-12-06T12:00:00Z');
    // Act
    const stats = partnerStats(
      [
        {
          orderId: '1',
          status: 'COMPLETED',
          updatedAt: '',
          placedAt: '2026-12-06T08:00:00Z',
          partnerId: 'p1',
        },
        {
          orderId: '2',
          status: 'REJECTED',
          updatedAt: '',
          placedAt: '2026-12-06T09:00:00Z',
          partnerId: 'p1',
        },
        {
          orderId: '3',
          status: 'COMPLETED',
          updatedAt: '',
          placedAt: '2026-12-05T23:00:00Z',
          partnerId: 'p1',
        },
        { orderId: '4', status: 'COMPLETED', updatedAt: '', placedAt: '2026-12-06T09:00:00Z' },
      ],
      { p2: 2 },
      now,
    );
    // Assess
    expect(stats).toEqual([
      { partnerId: 'p1', ordersToday: 2, rejectedToday: 1, completedToday: 1, callbackFailures: 0 },
      { partnerId: 'p2', ordersToday: 0, rejectedToday: 0, completedToday: 0, callbackFailures: 2 },
    ]);
  });
});
