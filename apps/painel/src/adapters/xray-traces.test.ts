import { causalOrder, orderSpans } from './xray-traces';

describe('an X-Ray document as spans', () => {
  it('lists a segment and its subsegments with their depth, parent and outcome', () => {
    const spans = orderSpans(
      [
        {
          id: 's1',
          trace_id: '1-abc',
          name: 'place-order',
          origin: 'AWS::Lambda::Function',
          annotations: { correlationId: 'c-1' },
          start_time: 10,
          end_time: 11,
          subsegments: [
            { id: 'c1', name: 'DynamoDB', start_time: 10.1, end_time: 10.2, fault: true },
            {
              id: 'c2',
              name: 'SNS',
              start_time: 10.3,
              in_progress: true,
              subsegments: [{ id: 'g', name: 'x', start_time: 10.3, end_time: 10.31, error: true }],
            },
          ],
        },
      ],
      '1-abc',
      new Set(['c-1']),
    );
    expect(spans.map((s) => [s.id, s.parentId, s.depth, s.error, s.fault])).toEqual([
      ['s1', undefined, 0, false, false],
      ['c1', 's1', 1, false, true],
      ['c2', 's1', 1, false, false],
      ['g', 'c2', 2, true, false],
    ]);
    // A span still in progress ends where it started.
    expect(spans[2]).toMatchObject({ start: 10.3, end: 10.3, traceId: '1-abc', origin: '' });
  });

  // A batch of queue records runs in the trace of its first record: order A's trace holds a batch that
  // also handled a record of order B (which came from B's trace), and B's trace a batch that handled A's.
  const batch = (id: string, records: { id: string; correlationId: string; borrowed?: string }[]) => ({
    id,
    name: `consumer-${id}`,
    origin: 'AWS::Lambda::Function',
    start_time: 1,
    end_time: 2,
    subsegments: [
      {
        id: `${id}-handler`,
        name: '## index.handler',
        start_time: 1,
        end_time: 2,
        subsegments: records.map((r) => ({
          id: r.id,
          name: '## record',
          start_time: 1,
          end_time: 2,
          annotations: {
            correlationId: r.correlationId,
            ...(r.borrowed ? { recordTraceId: r.borrowed } : {}),
          },
          subsegments: [{ id: `${r.id}-db`, name: 'DynamoDB', start_time: 1, end_time: 1.5 }],
        })),
      },
    ],
  });
  const traceA = [
    { id: 'api-a', name: 'Api/api', start_time: 0, end_time: 0.1, annotations: {} },
    batch('ba', [
      { id: 'rec-a', correlationId: 'A' },
      { id: 'rec-b-in-a', correlationId: 'B', borrowed: '1-b' },
    ]),
  ];

  it("takes the order's own trace whole, except the records other orders brought in from theirs", () => {
    const ids = orderSpans(traceA, '1-a', new Set(['A'])).map((s) => s.id);
    expect(ids).toEqual(['api-a', 'ba', 'ba-handler', 'rec-a', 'rec-a-db']);
  });

  it('takes from another trace only the records of the order, with what they called and what ran them', () => {
    const spans = orderSpans(traceA, '1-a', new Set(['B']));
    expect(spans.map((s) => [s.id, s.parentId, s.depth, s.traceId])).toEqual([
      ['ba', undefined, 0, '1-a'],
      ['ba-handler', 'ba', 1, '1-a'],
      ['rec-b-in-a', 'ba-handler', 2, '1-a'],
      ['rec-b-in-a-db', 'rec-b-in-a', 3, '1-a'],
    ]);
    expect(orderSpans(traceA, '1-a', new Set(['C']))).toEqual([]);
  });
});

describe('spans in causal order', () => {
  it('puts each span after its parent, siblings by start, and a span without its parent on a branch of its own', () => {
    const span = (id: string, start: number, parentId?: string) => ({
      traceId: 't',
      id,
      parentId,
      name: id,
      origin: '',
      start,
      end: start + 1,
      depth: 0,
      error: false,
      fault: false,
    });
    const ordered = causalOrder([
      span('consumer', 5, 'fn'),
      span('orphan', 3, 'gone'),
      span('call-2', 4, 'fn'),
      span('fn', 1, 'api'),
      span('api', 0),
      span('call-1', 2, 'fn'),
    ]);
    expect(ordered.map((s) => s.id)).toEqual(['api', 'fn', 'call-1', 'call-2', 'consumer', 'orphan']);
  });
});
