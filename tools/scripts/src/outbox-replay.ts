/**
 * `npm run outbox:replay -- [--stage local|dev|prod] [--service pedidos] [--older-than 60] [--order <id>] [--dry-run]`
 *
 * Republishes the events of outbox records that were never marked published (their publisher failed past
 * its retries, or its stream records expired), oldest first, and marks them. Consumers are idempotent per
 * event id, so a record that was in fact published and only not marked is harmless to send again.
 * Each event goes to its service's topic and, where the stage has one, to the integration bus (ADR 0015),
 * as the publisher sends it. Locally it reads `.local-cloud/outputs.json` (run `npm start` first); in AWS,
 * the SSM parameters `/order-platform/<stage>/<service>/{table-name,topic-arn}` and
 * `/order-platform/<stage>/platform/event-bus-arn` with the credentials of the environment.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  documentClient,
  DynamoDbOutbox,
  EventBridgePublisher,
  SnsEventPublisher,
} from '@order-platform/aws-adapters';
import { CREDENTIALS } from '@order-platform/local-cloud';
import { replayOutbox as replayOutboxEvents } from '@order-platform/lambda-kit';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { commandLine } from './command-line';

// The lockfile pins the SDK; its notice about Node 22 is noise in an operator's tool.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const SERVICES = ['produtos', 'pedidos', 'faturas'] as const;

export interface ReplayOptions {
  stage: string;
  services: readonly string[];
  olderThanSeconds: number;
  orderId?: string;
  dryRun: boolean;
  log?: (line: string) => void;
}

export interface ReplayTarget {
  dynamodb: DynamoDBClient;
  sns: SNSClient;
  eventbridge: EventBridgeClient;
  parameter: (name: string) => Promise<string | undefined>;
}

/** Clients and parameters of a stage: the local cloud's emulators, or AWS. */
export function targetOf(stage: string, root = resolve(__dirname, '..', '..', '..')): ReplayTarget {
  if (stage === 'local') {
    const file = join(root, '.local-cloud', 'outputs.json');
    if (!existsSync(file)) throw new Error(`No ${file}: start the local cloud first (npm start).`);
    const outputs = JSON.parse(readFileSync(file, 'utf8')) as {
      region: string;
      emulators: Record<string, string>;
      parameters?: Record<string, string>;
    };
    const common = {
      region: outputs.region,
      // The local cloud's own key pair (the one every emulator accepts, written in outputs.json).
      credentials: CREDENTIALS,
    };
    return {
      dynamodb: new DynamoDBClient({ ...common, endpoint: outputs.emulators['dynamodb'] }),
      sns: new SNSClient({ ...common, endpoint: outputs.emulators['sqs'] }),
      eventbridge: new EventBridgeClient({ ...common, endpoint: outputs.emulators['events'] }),
      parameter: async (name) => outputs.parameters?.[name],
    };
  }
  const ssm = new SSMClient({});
  return {
    dynamodb: new DynamoDBClient({}),
    sns: new SNSClient({}),
    eventbridge: new EventBridgeClient({}),
    parameter: async (name) =>
      (await ssm.send(new GetParameterCommand({ Name: name })).catch(() => undefined))?.Parameter?.Value,
  };
}

/** Replays the unpublished outbox records of each service; returns how many were (or would be) sent. */
export async function replayOutbox(
  target: ReplayTarget,
  options: ReplayOptions,
): Promise<Record<string, number>> {
  const log = options.log ?? console.log;
  const doc = documentClient(target.dynamodb);
  const counts: Record<string, number> = {};
  const busArn = await target.parameter(`/order-platform/${options.stage}/platform/event-bus-arn`);
  const bus = busArn ? new EventBridgePublisher(target.eventbridge, busArn) : undefined;
  for (const service of options.services) {
    const prefix = `/order-platform/${options.stage}/${service}`;
    const [table, topic] = await Promise.all([
      target.parameter(`${prefix}/table-name`),
      target.parameter(`${prefix}/topic-arn`),
    ]);
    if (!table || !topic) throw new Error(`${service}: no ${prefix}/table-name or topic-arn parameter`);
    const { replayed } = await replayOutboxEvents(
      {
        outbox: new DynamoDbOutbox(doc, table),
        publisher: new SnsEventPublisher(target.sns, topic),
        ...(bus ? { bus } : {}),
      },
      { orderId: options.orderId, olderThanSeconds: options.olderThanSeconds, dryRun: options.dryRun },
      (line) => log(`${service}: ${line}`),
    );
    const sent = replayed.length;
    counts[service] = sent;
    log(`${service}: ${sent} event(s) ${options.dryRun ? 'to replay' : 'replayed'}`);
  }
  return counts;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(__filename)) {
  const values = commandLine(
    'npm run outbox:replay [-- options]: republishes outbox events never marked published.',
    {
      stage: { type: 'string', default: 'local', describe: 'local, or a deployed stage (dev, prod)' },
      service: { type: 'string', oneOf: SERVICES, describe: `one service only (${SERVICES.join(', ')})` },
      'older-than': { type: 'integer', default: 60, min: 0, describe: 'seconds a record must be old' },
      order: { type: 'string', describe: "one order's events only" },
      'dry-run': { type: 'boolean', describe: 'list what would be replayed, change nothing' },
    },
  );
  const services = values.service ? [values.service] : SERVICES;
  replayOutbox(targetOf(values.stage), {
    stage: values.stage,
    services,
    olderThanSeconds: values['older-than'],
    orderId: values.order,
    dryRun: values['dry-run'],
  }).catch((error: Error) => {
    console.error(`Outbox replay failed: ${error.message}`);
    process.exit(1);
  });
}
