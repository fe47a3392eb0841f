import {
  BatchGetTracesCommand,
  GetTraceSummariesCommand,
  PutTraceSegmentsCommand,
  XRayClient,
} from '@aws-sdk/client-xray';
import dgram from 'node:dgram';
import type http from 'node:http';
import {
  carryTraceHeader,
  compileFilter,
  emit,
  formatTraceHeader,
  LocalXRay,
  newSegmentId,
  newTraceId,
  parseTraceHeader,
  TRACE_ATTRIBUTE,
  type SegmentDocument,
} from './xray';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as http.IncomingMessage;
const now = () => Date.now() / 1000;

function segment(traceId: string, overrides: Partial<SegmentDocument> = {}): SegmentDocument {
  return {
    id: newSegmentId(),
    trace_id: traceId,
    name: 'svc',
    start_time: now() - 1,
    end_time: now(),
    ...overrides,
  };
}

describe('trace headers', () => {
  it('reads and writes X-Amzn-Trace-Id as AWS does, and refuses a header without a valid root', () => {
    const root = newTraceId();
    expect(root).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const header = `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1`;
    expect(parseTraceHeader(header)).toEqual({ root, parent: '53995c3f42cd8ad8', sampled: true });
    expect(formatTraceHeader(parseTraceHeader(header)!)).toBe(header);
    expect(parseTraceHeader(`Root=${root};Sampled=0`)).toEqual({ root, parent: undefined, sampled: false });
    expect(parseTraceHeader('Root=1-xyz;Sampled=1')).toBeUndefined();
    expect(parseTraceHeader(undefined)).toBeUndefined();
  });
});

describe('carrying the trace header through SNS and SQS', () => {
  const header = `Root=${newTraceId()};Parent=53995c3f42cd8ad8;Sampled=1`;
  const form = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'x-amzn-trace-id': header,
  };

  it("adds the caller's header to an SNS Publish as the next message attribute", () => {
    const body = Buffer.from(
      'Action=Publish&TopicArn=t&Message=m&MessageAttributes.entry.1.Name=type' +
        '&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=A',
    );
    const out = new URLSearchParams(carryTraceHeader(request(form), body).toString());
    expect(out.get('MessageAttributes.entry.1.Name')).toBe('type');
    expect(out.get('MessageAttributes.entry.2.Name')).toBe(TRACE_ATTRIBUTE);
    expect(out.get('MessageAttributes.entry.2.Value.StringValue')).toBe(header);
  });

  it('adds it to every entry of a PublishBatch', () => {
    const body = Buffer.from(
      'Action=PublishBatch&TopicArn=t&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.1.Message=1' +
        '&PublishBatchRequestEntries.member.2.Id=b&PublishBatchRequestEntries.member.2.Message=2',
    );
    const out = new URLSearchParams(carryTraceHeader(request(form), body).toString());
    for (const n of [1, 2])
      expect(
        out.get(`PublishBatchRequestEntries.member.${n}.MessageAttributes.entry.1.Value.StringValue`),
      ).toBe(header);
  });

  it('leaves a message at the 10-attribute limit, an unsampled trace and other actions unchanged', () => {
    const ten = Array.from(
      { length: 10 },
      (_, i) =>
        `&MessageAttributes.entry.${i + 1}.Name=a${i}&MessageAttributes.entry.${i + 1}.Value.DataType=String` +
        `&MessageAttributes.entry.${i + 1}.Value.StringValue=v`,
    ).join('');
    const full = Buffer.from(`Action=Publish&TopicArn=t&Message=m${ten}`);
    expect(carryTraceHeader(request(form), full)).toBe(full);
    const publish = Buffer.from('Action=Publish&TopicArn=t&Message=m');
    const unsampled = { ...form, 'x-amzn-trace-id': header.replace('Sampled=1', 'Sampled=0') };
    expect(carryTraceHeader(request(unsampled), publish)).toBe(publish);
    const subscribe = Buffer.from('Action=Subscribe&TopicArn=t');
    expect(carryTraceHeader(request(form), subscribe)).toBe(subscribe);
    expect(carryTraceHeader(request({ 'content-type': form['content-type'] }), publish)).toBe(publish);
  });

  it('adds it to SQS SendMessage and SendMessageBatch (JSON protocol)', () => {
    const json = (target: string, input: unknown) =>
      JSON.parse(
        carryTraceHeader(
          request({ 'x-amz-target': `AmazonSQS.${target}`, 'x-amzn-trace-id': header }),
          Buffer.from(JSON.stringify(input)),
        ).toString(),
      );
    expect(json('SendMessage', { QueueUrl: 'q', MessageBody: 'b' }).MessageAttributes).toEqual({
      [TRACE_ATTRIBUTE]: { DataType: 'String', StringValue: header },
    });
    const batch = json('SendMessageBatch', { QueueUrl: 'q', Entries: [{ Id: '1', MessageBody: 'b' }] });
    expect(batch.Entries[0].MessageAttributes[TRACE_ATTRIBUTE].StringValue).toBe(header);
  });
});

describe('the local X-Ray', () => {
  let xray: LocalXRay;
  let client: XRayClient;
  const denied: string[] = [];
  beforeAll(async () => {
    xray = await new LocalXRay((req, action) =>
      req.headers['authorization']?.includes('DENYME') ? (denied.push(action), 'not allowed') : undefined,
    ).start();
    client = new XRayClient({
      endpoint: xray.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(() => xray.stop());

  it('places a subsegment sent on its own under its parent, and keeps one whose parent never came', () => {
    const traceId = newTraceId();
    const parent = segment(traceId, { name: 'fn', origin: 'AWS::Lambda::Function' });
    xray.put({ ...parent, in_progress: true, end_time: undefined });
    xray.put(parent);
    const child = segment(traceId, { type: 'subsegment', parent_id: parent.id, name: 'DynamoDB' });
    const grandchild = segment(traceId, { type: 'subsegment', parent_id: child.id, name: 'PutItem' });
    const orphan = segment(traceId, { type: 'subsegment', parent_id: 'ffffffffffffffff', name: 'lost' });
    [grandchild, child, orphan].forEach((d) => xray.put(d));
    const docs = xray.segments(traceId);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({ id: parent.id, end_time: parent.end_time });
    expect(docs[0]!.in_progress).toBeUndefined();
    expect(docs[0]!.subsegments).toEqual([
      expect.objectContaining({
        id: child.id,
        subsegments: [expect.objectContaining({ id: grandchild.id })],
      }),
    ]);
    expect(docs[1]).toMatchObject({ id: orphan.id, name: 'lost' });
  });

  it('forgets the oldest traces first once it holds 100,000 documents', () => {
    const small = new LocalXRay();
    const first = newTraceId();
    small.put(segment(first));
    const later = newTraceId();
    for (let i = 0; i < 100_000; i++) small.put(segment(later));
    expect(small.traceIds()).toEqual([later]);
    small.put(segment(newTraceId()));
    expect(small.traceIds()).toHaveLength(1);
  });

  it("collects what the SDK sends to the daemon's UDP port", async () => {
    const traceId = newTraceId();
    const socket = dgram.createSocket('udp4');
    emit(socket, xray.daemonAddress, segment(traceId, { name: 'from-udp' }));
    for (let i = 0; i < 50 && !xray.segments(traceId).length; i++)
      await new Promise((r) => setTimeout(r, 20));
    socket.close();
    expect(xray.segments(traceId)).toEqual([expect.objectContaining({ name: 'from-udp' })]);
  });

  it('serves PutTraceSegments, GetTraceSummaries (annotation, service, fault filters) and BatchGetTraces to the SDK', async () => {
    // Prepare
    const [a, b] = [newTraceId(), newTraceId()];
    const fnA = segment(a, { name: 'place-order', origin: 'AWS::Lambda::Function' });
    const put = await client.send(
      new PutTraceSegmentsCommand({
        TraceSegmentDocuments: [
          JSON.stringify(fnA),
          JSON.stringify(
            segment(a, { type: 'subsegment', parent_id: fnA.id, annotations: { correlationId: 'c-1' } }),
          ),
          JSON.stringify(segment(b, { name: 'reserve', fault: true, annotations: { correlationId: 'c-2' } })),
          'not json',
        ],
      }),
    );
    const range = { StartTime: new Date(Date.now() - 60_000), EndTime: new Date(Date.now() + 60_000) };
    const ids = async (FilterExpression: string) =>
      (
        (await client.send(new GetTraceSummariesCommand({ ...range, FilterExpression }))).TraceSummaries ?? []
      ).map((s) => s.Id);
    // Act / Assess
    expect(put.UnprocessedTraceSegments).toHaveLength(1);
    expect(await ids('annotation.correlationId = "c-1"')).toEqual([a]);
    expect(await ids('service("reserve") AND fault')).toEqual([b]);
    expect(await ids('annotation.correlationId = "c-1" AND fault')).toEqual([]);
    const summary = (
      await client.send(new GetTraceSummariesCommand({ ...range, FilterExpression: `id("${a}")` }))
    ).TraceSummaries![0]!;
    expect(summary.Annotations?.['correlationId']).toEqual([{ AnnotationValue: { StringValue: 'c-1' } }]);
    const traces = await client.send(new BatchGetTracesCommand({ TraceIds: [a, newTraceId()] }));
    expect(traces.Traces).toHaveLength(1);
    expect(traces.UnprocessedTraceIds).toHaveLength(1);
    const doc = JSON.parse(traces.Traces![0]!.Segments![0]!.Document!);
    expect(doc.subsegments[0].annotations).toEqual({ correlationId: 'c-1' });
  });

  it('answers bad input as X-Ray does, and a call the caller may not make with AccessDeniedException', async () => {
    await expect(client.send(new BatchGetTracesCommand({ TraceIds: [] }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    await expect(
      client.send(
        new GetTraceSummariesCommand({ StartTime: new Date(), EndTime: new Date(0), FilterExpression: '' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
    const stranger = new XRayClient({
      endpoint: xray.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'DENYME', secretAccessKey: 'x' },
    });
    await expect(
      stranger.send(new BatchGetTracesCommand({ TraceIds: [newTraceId()] })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(denied).toEqual(['BatchGetTraces']);
  });
});

describe('filter expressions', () => {
  const summary = {
    Id: '1-x',
    StartTime: 0,
    Duration: 2.5,
    ResponseTime: 0.3,
    HasFault: false,
    HasError: true,
    HasThrottle: false,
    IsPartial: false,
    Annotations: {
      n: [{ AnnotationValue: { NumberValue: 3 } }],
      ok: [{ AnnotationValue: { BooleanValue: true } }],
    },
    ServiceIds: [{ Name: 'api', Names: ['api'], Type: 'AWS::ApiGateway::Stage' }],
    EntryPoint: { Name: 'api', Names: ['api'], Type: 'AWS::ApiGateway::Stage' },
  };
  it.each([
    ['', true],
    ['annotation.n = 3', true],
    ['annotation.n != 3', false],
    ['annotation.ok = true', true],
    ['error AND duration >= 2', true],
    ['fault', false],
    ['error = false', false],
    ['responsetime < 0.2', false],
    ['service("api") and duration < 3', true],
  ])('%s → %s', (expression, expected) => {
    expect(compileFilter(expression)(summary)).toBe(expected);
  });
  it('refuses what it does not understand', () => {
    expect(() => compileFilter('http.url CONTAINS "x"')).toThrow(/does not understand/);
  });
});
