import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { appendFileSync, mkdirSync } from 'node:fs';
import type http from 'node:http';
import { join } from 'node:path';
import { LocalEventBridge, type BusTarget } from './eventbridge';
import type { LocalIam } from './iam';
import type { Provisioner } from './provision';

/** A request an API destination would have sent to a host the local cloud does not reach. */
export interface RecordedDelivery {
  destination: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  at: string;
}

/** Lines kept per log group in memory (the file under `.local-cloud/logs` keeps them all). */
const MAX_LOG_LINES = 10_000;

/**
 * The templates' EventBridge resources on the local bus, and the delivery of its targets: a queue gets
 * the event as a message, a function is invoked with it (asynchronously), a log group gets it as a line
 * (kept in memory and in `.local-cloud/logs/<group>.jsonl`), and an API destination is called with its
 * connection's API key — on a loopback host for real, otherwise recorded (the local cloud reaches no
 * outside host; `GET <events endpoint>/store/api-destinations` lists what would have been sent).
 */
export async function startLocalEventBus(o: {
  provisioner: Provisioner;
  sqs: SQSClient;
  /** Invokes a function asynchronously (a Lambda target). */
  invoke: (functionName: string, event: unknown) => Promise<unknown>;
  iam: LocalIam;
  region: string;
  accountId: string;
  outputsDir: string | null;
  log: (line: string) => void;
}): Promise<{ bus: LocalEventBridge; deliveries: RecordedDelivery[]; logGroups: Map<string, string[]> }> {
  const p = o.provisioner;
  const queueUrlByArn = new Map(p.byType('AWS::SQS::Queue').map((q) => [q.attrs['Arn']!, q.ref]));
  const connections = new Map(
    p.byType('AWS::Events::Connection').map((c) => [c.attrs['Arn']!, c.properties]),
  );
  const destinations = new Map(
    p
      .byType('AWS::Events::ApiDestination')
      .map((d) => [
        d.attrs['Arn']!,
        { ...d.properties, name: d.ref } as Record<string, unknown> & { name: string },
      ]),
  );
  const deliveries: RecordedDelivery[] = [];
  const logGroups = new Map<string, string[]>();
  const logDir = o.outputsDir ? join(o.outputsDir, 'logs') : undefined;

  const deliver = async (target: BusTarget, payload: string): Promise<void> => {
    const arn = target.Arn;
    if (arn.startsWith('arn:aws:sqs:')) {
      const QueueUrl = queueUrlByArn.get(arn);
      if (!QueueUrl) throw new Error(`no queue ${arn}`);
      await o.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: payload }));
      return;
    }
    if (arn.startsWith('arn:aws:lambda:')) {
      const name = arn.split(':function:').pop()!.split(':')[0]!;
      await o.invoke(name, JSON.parse(payload));
      return;
    }
    if (arn.includes(':log-group:')) {
      const group = arn.split(':log-group:').pop()!.replace(/:\*$/, '');
      const lines = logGroups.get(group) ?? [];
      lines.push(payload);
      if (lines.length > MAX_LOG_LINES) lines.shift();
      logGroups.set(group, lines);
      if (logDir) {
        mkdirSync(logDir, { recursive: true });
        appendFileSync(join(logDir, `${group.replace(/[^A-Za-z0-9._-]+/g, '_')}.jsonl`), `${payload}\n`);
      }
      return;
    }
    const destination = destinations.get(arn);
    if (destination) {
      const connection = connections.get(String(destination['ConnectionArn'])) as
        | { AuthParameters?: { ApiKeyAuthParameters?: { ApiKeyName?: string; ApiKeyValue?: string } } }
        | undefined;
      const key = connection?.AuthParameters?.ApiKeyAuthParameters;
      const url = String(destination['InvocationEndpoint']);
      const method = String(destination['HttpMethod'] ?? 'POST');
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Amazon/EventBridge/ApiDestinations',
        ...(key?.ApiKeyName ? { [key.ApiKeyName.toLowerCase()]: String(key.ApiKeyValue ?? '') } : {}),
      };
      const host = new URL(url).hostname;
      if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') {
        const res = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(5000) });
        // As EventBridge: 4xx other than 429 is not retried; 429 and 5xx are.
        if (res.status === 429 || res.status >= 500) throw new Error(`${url} answered ${res.status}`);
        if (res.status >= 400) o.log(`API destination ${destination.name}: ${url} answered ${res.status}`);
        return;
      }
      deliveries.push({
        destination: destination.name,
        method,
        url,
        headers,
        body: JSON.parse(payload),
        at: new Date().toISOString(),
      });
      return;
    }
    throw new Error(`the local bus cannot deliver to ${arn}`);
  };

  const bus = await new LocalEventBridge({
    region: o.region,
    accountId: o.accountId,
    deliver,
    log: o.log,
    authorize: (req: http.IncomingMessage, action: string, resource: string) => {
      const denial = o.iam.authorize(req, [{ action, resources: [resource], context: {} }]);
      return denial && o.iam.refuses ? o.iam.deniedMessage(req, denial) : undefined;
    },
    store: (name) =>
      name === 'api-destinations'
        ? deliveries
        : name === 'log-groups'
          ? Object.fromEntries([...logGroups].map(([g, lines]) => [g, lines.map((l) => JSON.parse(l))]))
          : undefined,
  }).start();

  for (const b of p.byType('AWS::Events::EventBus')) bus.addBus(b.ref);
  for (const a of p.byType('AWS::Events::Archive'))
    bus.createArchive({
      ArchiveName: a.ref,
      EventSourceArn: String(a.properties['SourceArn']),
      EventPattern: a.properties['EventPattern'] as Record<string, unknown> | undefined,
      RetentionDays: a.properties['RetentionDays'] as number | undefined,
    });
  for (const r of p.byType('AWS::Events::Rule')) {
    const busName = r.properties['EventBusName'] as string | undefined;
    bus.putRule({
      Name: r.ref,
      EventBusName: busName,
      EventPattern: r.properties['EventPattern'] as Record<string, unknown>,
      State: r.properties['State'] as string | undefined,
      Description: r.properties['Description'] as string | undefined,
    });
    bus.putTargets(r.ref, busName, (r.properties['Targets'] as BusTarget[] | undefined) ?? []);
  }
  return { bus, deliveries, logGroups };
}
