import { causalOrder, flatten } from './xray-traces';

describe('an X-Ray document as spans', () => {
  it('lists a segment and its subsegments with their depth, parent and outcome', () => {
    const spans = flatten(
      {
        id: 's1',
        trace_id: '1-abc',
        name: 'place-order',
        origin: 'AWS::Lambda::Function',
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
      '1-abc',
      0,
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
