import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { safeServer } from './http-server';

/**
 * SQS's query protocol (form-encoded `Action=...`, XML answers), which older SDKs and the AWS CLI of Debian
 * (2.9) speak, in front of an emulator that speaks only the JSON protocol. Everything else — JSON-protocol
 * SQS and SNS's own query protocol — passes through untouched.
 */
export const SQS_QUERY_ACTIONS = new Set([
  'ListQueues',
  'GetQueueUrl',
  'CreateQueue',
  'DeleteQueue',
  'PurgeQueue',
  'GetQueueAttributes',
  'SetQueueAttributes',
  'SendMessage',
  'ReceiveMessage',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'ListDeadLetterSourceQueues',
]);

const NUMBERS = new Set([
  'MaxResults',
  'MaxNumberOfMessages',
  'WaitTimeSeconds',
  'VisibilityTimeout',
  'DelaySeconds',
]);

/** A query request's parameters as the JSON protocol's input: `X.N.Name/Value` pairs become maps, `X.N` lists. */
export function queryToJson(form: URLSearchParams): { action: string; input: Record<string, unknown> } {
  const input: Record<string, unknown> = {};
  const maps = new Map<string, Map<string, { name?: string; value?: unknown }>>();
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    const pair =
      /^(Attribute|MessageAttribute|Tag)\.(\d+)\.(Name|Key|Value)(?:\.(DataType|StringValue|BinaryValue))?$/.exec(
        key,
      );
    if (pair) {
      const [, group, n, part, sub] = pair;
      const entries = maps.get(group!) ?? new Map();
      maps.set(group!, entries);
      const entry = entries.get(n!) ?? {};
      entries.set(n!, entry);
      if (part === 'Name' || part === 'Key') entry.name = value;
      else if (sub) entry.value = { ...((entry.value as object) ?? {}), [sub]: value };
      else entry.value = value;
      continue;
    }
    const listed = /^(AttributeName|MessageAttributeName|MessageSystemAttributeName)\.\d+$/.exec(key);
    if (listed) {
      const list = `${listed[1]}s`;
      input[list] = [...((input[list] as string[]) ?? []), value];
      continue;
    }
    input[key] = NUMBERS.has(key) ? Number(value) : value;
  }
  for (const [group, entries] of maps) {
    const target = group === 'Attribute' ? 'Attributes' : group === 'Tag' ? 'tags' : 'MessageAttributes';
    input[target] = Object.fromEntries([...entries.values()].map((e) => [e.name, e.value]));
  }
  return { action: form.get('Action') ?? '', input };
}

const xml = (s: unknown) =>
  String(s).replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
const attributes = (tag: string, map: Record<string, unknown> | undefined) =>
  Object.entries(map ?? {})
    .map(([name, value]) =>
      typeof value === 'object' && value
        ? `<${tag}><Name>${xml(name)}</Name><Value>${Object.entries(value)
            .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
            .join('')}</Value></${tag}>`
        : `<${tag}><Name>${xml(name)}</Name><Value>${xml(value)}</Value></${tag}>`,
    )
    .join('');

/** A JSON-protocol answer as the query protocol's XML, shaped as the SDKs that read it expect. */
export function jsonToXml(action: string, output: Record<string, unknown>, requestId: string): string {
  let result = '';
  if (output['QueueUrls'] || output['queueUrls'])
    result += ((output['QueueUrls'] ?? output['queueUrls']) as string[])
      .map((u) => `<QueueUrl>${xml(u)}</QueueUrl>`)
      .join('');
  if (output['QueueUrl']) result += `<QueueUrl>${xml(output['QueueUrl'])}</QueueUrl>`;
  if (output['Attributes'])
    result += attributes('Attribute', output['Attributes'] as Record<string, unknown>);
  for (const key of [
    'MessageId',
    'MD5OfMessageBody',
    'MD5OfMessageAttributes',
    'SequenceNumber',
    'NextToken',
  ])
    if (output[key] !== undefined) result += `<${key}>${xml(output[key])}</${key}>`;
  for (const m of (output['Messages'] as Record<string, unknown>[] | undefined) ?? []) {
    result +=
      `<Message><MessageId>${xml(m['MessageId'])}</MessageId><ReceiptHandle>${xml(m['ReceiptHandle'])}</ReceiptHandle>` +
      `<MD5OfBody>${xml(m['MD5OfBody'])}</MD5OfBody><Body>${xml(m['Body'])}</Body>` +
      attributes('Attribute', m['Attributes'] as Record<string, unknown>) +
      attributes('MessageAttribute', m['MessageAttributes'] as Record<string, unknown>) +
      `</Message>`;
  }
  const ns = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';
  return (
    `<?xml version="1.0"?><${action}Response ${ns}><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** JSON-protocol error types under the codes the query protocol has always used for them. */
const QUERY_ERROR_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueNameExists: 'QueueAlreadyExists',
  PurgeQueueInProgress: 'AWS.SimpleQueueService.PurgeQueueInProgress',
  QueueDeletedRecently: 'AWS.SimpleQueueService.QueueDeletedRecently',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
};

function errorXml(code: string, message: string, requestId: string): string {
  return (
    `<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>${xml(code)}</Code>` +
    `<Message>${xml(message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/**
 * The emulator's front: SQS query requests are translated (JSON protocol to the emulator, XML back); every
 * other request is forwarded as it came. Returns the front's server; the emulator stays reachable directly.
 */
export function startSqsQueryFront(
  emulator: string,
  port: number,
  log: (line: string) => void,
): Promise<{ server: http.Server; url: string }> {
  const target = new URL(emulator);
  const server = safeServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const form = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
      ? new URLSearchParams(body.toString('utf8'))
      : undefined;
    const action = form?.get('Action');
    if (!form || !action || !SQS_QUERY_ACTIONS.has(action)) {
      // JSON-protocol SQS, and SNS (query protocol of its own): as they came.
      const upstream = await fetch(new URL(req.url ?? '/', target), {
        method: req.method,
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(
            ([k]) => !['host', 'content-length', 'connection'].includes(k),
          ) as [string, string][],
        ),
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      });
      res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      res.end(Buffer.from(await upstream.arrayBuffer()));
      return;
    }
    const requestId = randomUUID();
    const { input } = queryToJson(form);
    const upstream = await fetch(new URL('/', target), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
        authorization: String(req.headers['authorization'] ?? ''),
      },
      body: JSON.stringify(input),
    });
    const output = (await upstream.json().catch(() => ({}))) as Record<string, unknown>;
    res.setHeader('Content-Type', 'text/xml');
    if (!upstream.ok) {
      // SQS names the query code in `x-amzn-query-error`; without it the usual mapping stands in.
      const type = String(output['__type'] ?? 'InternalError')
        .split('#')
        .pop()!;
      const code =
        upstream.headers.get('x-amzn-query-error')?.split(';')[0] || QUERY_ERROR_CODES[type] || type;
      res.writeHead(upstream.status);
      res.end(errorXml(code, String(output['message'] ?? output['Message'] ?? ''), requestId));
      return;
    }
    log(`${action} (query protocol) → ${upstream.status}`);
    res.writeHead(200);
    res.end(jsonToXml(action, output, requestId));
  }, log);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${address.port}` });
    });
  });
}
