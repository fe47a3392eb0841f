import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { join, resolve as resolvePath } from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Chaos, describeChaos, parseChaosSpec } from './chaos';
import { startEmulators, claimPort, LocalCloudError, type EmulatorName, type Emulators } from './emulators';
import { pollSqs, pollStream } from './event-sources';
import { LambdaRuntime } from './lambda-runtime';
import { Provisioner, TemplateError, type Clients, type Template } from './provision';
import { restRoutes, startRestGateway } from './rest-gateway';
import { WebAcls } from './waf';
import { startApiGatewayControl } from './apigateway-control';
import { distributionBucket, runBucketDeployment, startDistribution } from './static-sites';
import { startWebSocketGateway, stopWebSocketGateway, webSocketApis } from './websocket-gateway';
import { UsagePlans } from './usage-plans';

export const WORKSPACE_ROOT = resolvePath(__dirname, '..', '..', '..');
export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';
/** s3rver only accepts this key pair; the other emulators accept anything, so every client uses it. */
export const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LocalCloudOptions {
  /** A synthesized cloud assembly (a `cdk.out` folder). */
  cdkOut?: string;
  /** Or how to make one: called while the emulators boot; returns the assembly folder. */
  synthesize?: (progress: (step: string) => void) => Promise<string>;
  /** REST origin port (0 for a free one). */
  apiPort?: number;
  /** The (first) WebSocket API's port (0 for a free one). */
  webSocketPort?: number;
  /** The (first) CloudFront distribution's port (0 for a free one). */
  sitePort?: number;
  emulatorPorts?: Partial<Record<EmulatorName, number>>;
  /**
   * The app's demo data, put in once everything runs (through the app's own APIs, or its services' seed
   * modules); what it returns (users with passwords, API keys) goes into the outputs. None by default.
   */
  seed?: (context: SeedContext) => Promise<SeedResult>;
  /** Where outputs.json goes (default `.local-cloud/` in the workspace); null to write nothing. */
  outputsDir?: string | null;
  log?: (source: string, line: string) => void;
  progress?: (step: string) => void;
  /** Faults to inject (`lambda-error=0.05,...`, see chaos.ts); each one is logged to `chaos.log` in `outputsDir`. */
  chaos?: string;
  /**
   * The web ACLs' rate limits (default `enforce`, as in AWS); `off` for load generators that play many
   * many callers with a few accounts from one address.
   */
  waf?: 'enforce' | 'off';
}

/** What an app's seed gets: the running cloud's clients and addresses. */
export interface SeedContext {
  clients: Clients;
  apiUrl: string;
  cognito: { userPoolId: string | null; clientId: string | null };
  /** The SSM parameters the templates declare, by name. */
  parameters: Record<string, string>;
  progress: (step: string) => void;
}

/** What a seed made that a person or a test needs: users with their passwords, API keys with their values. */
export interface SeedResult {
  users: Record<string, { username: string; password: string; groups: string[] }>;
  apiKeys: { name: string; apiKey: string; apiKeyId?: string }[];
}

export interface LocalCloudOutputs {
  region: string;
  apiUrl: string;
  webSocketUrl: string | null;
  /** The first CloudFront distribution (a site), served from its bucket. */
  dashboardUrl: string | null;
  /** Every distribution: stack/logical id → local URL. */
  sites: Record<string, string>;
  cognito: { endpoint: string; userPoolId: string | null; clientId: string | null };
  users: SeedResult['users'];
  /** Every API key: the templates' and the control plane's (with their values), and the seed's. */
  apiKeys: SeedResult['apiKeys'];
  emulators: Record<string, string>;
  resources: Record<string, string>;
  /** The SSM parameters the stacks declare, as the functions read them. */
  parameters: Record<string, string>;
  /** The faults being injected, or `none`. */
  chaos: string;
  /** Whether the web ACLs' rate limits are enforced. */
  waf: 'enforce' | 'off';
  notEmulated: Record<string, string[]>;
  readyInMs: number;
}

export interface LocalCloud {
  outputs: LocalCloudOutputs;
  /** The chaos mode's counters, when faults are injected. */
  chaos?: Chaos;
  runtime: LambdaRuntime;
  clients: Clients;
  /** Functions' environment for the emulators: what a handler sees in place of AWS. */
  stop(): Promise<void>;
}

/** What every stack name starts with up to its last dash (`App-dev-` of `App-dev-Orders`), or nothing. */
export function commonPrefix(names: string[]): string {
  if (names.length < 2) return '';
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf('-') + 1);
}

let stackPrefix = '';
/** A stack's name without the prefix all stacks share, for logs. */
const shortStack = (stack: string) =>
  stack.startsWith(stackPrefix) ? stack.slice(stackPrefix.length) : stack;
/** A function's short label for logs: `<stack>/<construct>` (`Orders/PlaceOrder`). */
const labelOf = (fn: { stack: string; logicalId: string }) =>
  `${shortStack(fn.stack)}/${fn.logicalId.replace(/Function[0-9A-F]{8}$/, '')}`;

/** The stacks of a cloud assembly, read with the CDK's own reader (nested assemblies of stages included). */
function readStacks(cdkOut: string): { name: string; template: Template }[] {
  if (!existsSync(join(cdkOut, 'manifest.json')))
    throw new TemplateError(`No cloud assembly in ${cdkOut} (manifest.json missing).`);
  let assembly: CloudAssembly;
  try {
    assembly = new CloudAssembly(cdkOut);
  } catch (error) {
    throw new TemplateError(`Cannot read the cloud assembly in ${cdkOut}: ${(error as Error).message}`);
  }
  return assembly.stacksRecursively.map((stack) => ({
    name: stack.id,
    template: stack.template as Template,
  }));
}

/**
 * Starts the whole platform on this machine from the synthesized templates: the emulators, every table,
 * queue, topic, subscription, bucket and user pool the templates declare, the functions with their event
 * sources, the REST APIs at one origin, and the demo data. Returns the outputs and a `stop()`.
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const progress = options.progress ?? (() => undefined);
  const outputsDir =
    options.outputsDir === null ? null : (options.outputsDir ?? join(WORKSPACE_ROOT, '.local-cloud'));
  let chaos: Chaos | undefined;
  if (options.chaos) {
    const spec = parseChaosSpec(options.chaos);
    if (outputsDir) mkdirSync(outputsDir, { recursive: true });
    const chaosLog = outputsDir ? join(outputsDir, 'chaos.log') : undefined;
    if (chaosLog) writeFileSync(chaosLog, '');
    chaos = new Chaos(spec, (line) => log('chaos', line), chaosLog);
  }
  const apiPort = await claimPort(options.apiPort ?? 0, 'the REST API');
  // The emulators boot (mostly the JVM) while the templates are synthesized.
  progress('starting emulators (DynamoDB, SQS/SNS, S3, SES, Cognito)');
  const booting = startEmulators(options.emulatorPorts);
  let stacks: { name: string; template: Template }[];
  let cdkOutDir: string;
  try {
    if (!options.cdkOut && !options.synthesize)
      throw new TemplateError('No cloud assembly: give cdkOut (a cdk.out folder) or synthesize.');
    cdkOutDir = options.cdkOut ?? (await options.synthesize!(progress));
    stacks = readStacks(cdkOutDir);
    stackPrefix = commonPrefix(stacks.map((st) => st.name));
  } catch (error) {
    await booting.then(
      (e) => e.stop(),
      () => undefined,
    );
    throw error;
  }
  const emulators: Emulators = await booting;
  progress('emulators ready');
  const stops: (() => void)[] = [];
  let runtime: LambdaRuntime | undefined;
  let gateway: http.Server | undefined;
  const webSockets: Awaited<ReturnType<typeof startWebSocketGateway>>[] = [];
  const siteServers: http.Server[] = [];
  let controlServer: http.Server | undefined;
  const stop = async () => {
    stops.forEach((s) => s());
    chaos?.stop();
    runtime?.stop();
    await Promise.all(webSockets.map((w) => stopWebSocketGateway(w)));
    controlServer?.closeAllConnections();
    controlServer?.close();
    for (const site of siteServers) site.closeAllConnections();
    await Promise.all(siteServers.map((site) => new Promise((r) => site.close(r))));
    await new Promise<void>((r) => (gateway ? gateway.close(() => r()) : r()));
    gateway?.closeAllConnections?.();
    await emulators.stop();
  };

  try {
    const e = emulators.endpoints;
    const common = { region: REGION, credentials: CREDENTIALS };
    const clients: Clients = {
      dynamodb: new DynamoDBClient({ ...common, endpoint: e.dynamodb }),
      sqs: new SQSClient({ ...common, endpoint: e.sqs }),
      sns: new SNSClient({ ...common, endpoint: e.sqs }),
      s3: new S3Client({ ...common, endpoint: e.s3, forcePathStyle: true }),
      cognito: new CognitoIdentityProviderClient({ ...common, endpoint: e.cognito }),
    };
    const streams = new DynamoDBStreamsClient({ ...common, endpoint: e.dynamodb });

    progress(`creating resources of ${stacks.length} stacks`);
    const sitePorts: number[] = [];
    const provisioner = new Provisioner(clients, REGION, ACCOUNT_ID, e.cognito, async () => {
      const port = await claimPort(
        sitePorts.length === 0 ? (options.sitePort ?? 0) : 0,
        'the dashboard site (CloudFront)',
      );
      sitePorts.push(port);
      return `127.0.0.1:${port}`;
    });
    const pending = [...stacks];
    while (pending.length) {
      const next = pending.findIndex((s) => provisioner.ready(s.template));
      if (next < 0) {
        throw new TemplateError(
          `Stacks wait for SSM parameters nobody declares: ${pending.map((s) => s.name).join(', ')}`,
        );
      }
      const [stack] = pending.splice(next, 1);
      await provisioner.provisionStack(stack!.name, stack!.template);
    }

    // API keys and usage plans, checked by the REST gateway and managed by functions through the control plane.
    const usagePlans = new UsagePlans(provisioner);
    const control = await startApiGatewayControl({ usagePlans, log: (line) => log('apigateway', line) });
    controlServer = control.server;

    const functionEnv = {
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      // In chaos mode the functions reach DynamoDB and SES through fault-injecting proxies.
      AWS_ENDPOINT_URL_DYNAMODB: chaos?.spec.dynamodbThrottle
        ? await chaos.proxy('dynamodb', e.dynamodb)
        : e.dynamodb,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: e.dynamodb,
      AWS_ENDPOINT_URL_SQS: e.sqs,
      AWS_ENDPOINT_URL_SNS: e.sqs,
      AWS_ENDPOINT_URL_S3: e.s3,
      AWS_ENDPOINT_URL_SES: chaos?.spec.sesError ? await chaos.proxy('ses', e.ses) : e.ses,
      AWS_ENDPOINT_URL_SESV2: e.ses,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: e.cognito,
      AWS_ENDPOINT_URL_API_GATEWAY: control.url,
      // No X-Ray daemon locally: Powertools Tracer stays off; everything else runs as in AWS.
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      NODE_NO_WARNINGS: '1',
    };
    // API Gateway hostnames in the templates (`<id>.execute-api.<region>.amazonaws.com`) point at the local
    // gateways: the one mapping that stands in for DNS, so handler code needs no local branch.
    const wsApis = webSocketApis(provisioner);
    const wsPorts: number[] = [];
    for (const [i] of wsApis.entries())
      wsPorts.push(await claimPort(i === 0 ? (options.webSocketPort ?? 0) : 0, 'the WebSocket API'));
    // Every REST API is served on the one local API origin, without its stage path.
    const restStages = provisioner
      .byType('AWS::ApiGateway::Stage')
      .map((s) => [s.properties['RestApiId'] as string, s.properties['StageName'] as string] as const);
    const hostRewrites = [
      ...restStages.map(([apiId, stage]) => [
        `https://${apiId}.execute-api.${REGION}.amazonaws.com/${stage}`,
        `http://127.0.0.1:${apiPort}`,
      ]),
      ...wsApis.flatMap((api, i) => [
        [`https://${api.apiId}.execute-api.${REGION}.amazonaws.com`, `http://127.0.0.1:${wsPorts[i]}`],
        [`wss://${api.apiId}.execute-api.${REGION}.amazonaws.com`, `ws://127.0.0.1:${wsPorts[i]}`],
      ]),
    ];
    const localUrls = (value: string) =>
      hostRewrites.reduce((v, [from, to]) => v.split(from!).join(to!), value);

    runtime = new LambdaRuntime(log, chaos);
    for (const fn of provisioner.byType('AWS::Lambda::Function')) {
      const p = fn.properties;
      // Only Node.js runs here; the one other runtime in the templates is the CDK bucket deployment's
      // Python provider, whose work the local cloud does itself (see static-sites.ts).
      if (!String(p['Runtime'] ?? 'nodejs').startsWith('nodejs')) {
        provisioner.inert.set(
          'AWS::Lambda::Function',
          (provisioner.inert.get('AWS::Lambda::Function') ?? 0) + 1,
        );
        continue;
      }
      const code = p['Code'] as { S3Key?: string };
      const codeDir = join(cdkOutDir, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`);
      if (!existsSync(codeDir))
        throw new TemplateError(`Asset of ${fn.stack}/${fn.logicalId} not found: ${codeDir}`);
      const vars = ((p['Environment'] as { Variables?: Record<string, unknown> })?.Variables ?? {}) as Record<
        string,
        unknown
      >;
      const label = labelOf(fn);
      runtime.register({
        name: fn.ref,
        label,
        codeDir,
        handler: String(p['Handler'] ?? 'index.handler'),
        timeoutMs: Number(p['Timeout'] ?? 3) * 1000,
        memoryMb: Number(p['MemorySize'] ?? 128),
        reservedConcurrency: p['ReservedConcurrentExecutions'] as number | undefined,
        environment: {
          ...functionEnv,
          ...Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, localUrls(String(v))])),
          AWS_LAMBDA_FUNCTION_NAME: fn.ref,
          // The SDK puts `app/<id>` in its user agent: how the chaos proxies name the calling function.
          AWS_SDK_UA_APP_ID: label.slice(0, 50),
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(p['MemorySize'] ?? 128),
          LOCAL_FUNCTION_ARN: fn.attrs['Arn']!,
        },
      });
    }

    const queuesByArn = new Map(provisioner.byType('AWS::SQS::Queue').map((q) => [q.attrs['Arn'], q]));
    const tablesByStream = new Map(
      provisioner.byType('AWS::DynamoDB::Table').map((t) => [t.attrs['StreamArn'], t]),
    );
    for (const mapping of provisioner.byType('AWS::Lambda::EventSourceMapping')) {
      const p = mapping.properties;
      if (p['Enabled'] === false) continue;
      const functionName = String(p['FunctionName']).split(':').pop()!;
      const sourceArn = String(p['EventSourceArn']);
      const reportBatchItemFailures = ((p['FunctionResponseTypes'] as string[]) ?? []).includes(
        'ReportBatchItemFailures',
      );
      const fnResource = provisioner.byType('AWS::Lambda::Function').find((f) => f.ref === functionName);
      const label = `${fnResource ? labelOf(fnResource) : functionName} ←`;
      const queue = queuesByArn.get(sourceArn);
      if (queue) {
        stops.push(
          pollSqs(
            runtime,
            clients.sqs,
            {
              functionName,
              queueUrl: queue.ref,
              queueArn: sourceArn,
              batchSize: Number(p['BatchSize'] ?? 10),
              maxConcurrency: Math.min(
                5,
                Number((p['ScalingConfig'] as { MaximumConcurrency?: number })?.MaximumConcurrency ?? 2),
              ),
              reportBatchItemFailures,
            },
            (line) => log(label, line),
            REGION,
            chaos,
          ),
        );
        continue;
      }
      if (tablesByStream.has(sourceArn)) {
        const onFailure = (p['DestinationConfig'] as { OnFailure?: { Destination?: string } })?.OnFailure
          ?.Destination;
        const filters = ((p['FilterCriteria'] as { Filters?: { Pattern: string }[] })?.Filters ?? []).map(
          (f) => JSON.parse(f.Pattern),
        );
        stops.push(
          pollStream(
            runtime,
            streams,
            clients.sqs,
            {
              functionName,
              streamArn: sourceArn,
              startingPosition: (p['StartingPosition'] as 'TRIM_HORIZON' | 'LATEST') ?? 'TRIM_HORIZON',
              batchSize: Number(p['BatchSize'] ?? 100),
              retryAttempts: Number(p['MaximumRetryAttempts'] ?? 3),
              reportBatchItemFailures,
              filters,
              onFailureQueueUrl: onFailure ? queuesByArn.get(onFailure)?.ref : undefined,
            },
            (line) => log(label, line),
            REGION,
            chaos,
          ),
        );
        continue;
      }
      provisioner.notEmulated.set('AWS::Lambda::EventSourceMapping', [
        ...(provisioner.notEmulated.get('AWS::Lambda::EventSourceMapping') ?? []),
        `${mapping.stack}/${mapping.logicalId} (source ${sourceArn})`,
      ]);
    }

    progress('starting the REST API');
    const pool = provisioner.byType('AWS::Cognito::UserPool')[0];
    const client = provisioner.byType('AWS::Cognito::UserPoolClient')[0];
    const queuesByName = new Map(
      provisioner.byType('AWS::SQS::Queue').map((q) => [q.attrs['QueueName'], q.ref]),
    );
    const webAcls = new WebAcls(provisioner);
    if (webAcls.notEmulated.length) provisioner.notEmulated.set('AWS::WAFv2::WebACL', webAcls.notEmulated);
    const gw = await startRestGateway({
      port: apiPort,
      routes: restRoutes(provisioner),
      runtime,
      cognitoEndpoint: e.cognito,
      accountId: ACCOUNT_ID,
      log: (line) => log('api', line),
      usagePlans,
      webAcls: options.waf === 'off' ? undefined : webAcls,
      sendToQueue: async (queueName, body, attributes) => {
        const queueUrl = queuesByName.get(queueName);
        if (!queueUrl) throw new Error(`No queue ${queueName}`);
        const res = await clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: body,
            MessageAttributes: Object.fromEntries(
              Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
            ),
          }),
        );
        return res.MessageId!;
      },
    });
    gateway = gw.server;
    for (const [i, api] of wsApis.entries()) {
      progress(`starting the WebSocket API ${api.name}`);
      webSockets.push(
        await startWebSocketGateway({
          port: wsPorts[i]!,
          api,
          runtime,
          accountId: ACCOUNT_ID,
          region: REGION,
          log: (line) => log(`ws ${api.name}`, line),
        }),
      );
    }

    for (const deployment of provisioner.byType('Custom::CDKBucketDeployment')) {
      progress(`deploying site files (${shortStack(deployment.stack)}/${deployment.logicalId})`);
      await runBucketDeployment(deployment, cdkOutDir, clients.s3, localUrls);
    }
    const sites: Record<string, string> = {};
    for (const [i, distribution] of provisioner.byType('AWS::CloudFront::Distribution').entries()) {
      const bucket = distributionBucket(distribution, provisioner);
      if (!bucket) {
        provisioner.notEmulated.set('AWS::CloudFront::Distribution', [
          ...(provisioner.notEmulated.get('AWS::CloudFront::Distribution') ?? []),
          `${distribution.stack}/${distribution.logicalId} (origin is not a bucket of the templates)`,
        ]);
        continue;
      }
      const config = distribution.properties['DistributionConfig'] as { DefaultRootObject?: string };
      const site = await startDistribution({
        port: sitePorts[i]!,
        bucket,
        defaultRootObject: config.DefaultRootObject ?? 'index.html',
        s3: clients.s3,
        log: (line) => log('cdn', line),
      });
      siteServers.push(site.server);
      sites[`${distribution.stack}/${distribution.logicalId}`] = site.url;
    }

    const parameters = Object.fromEntries(provisioner.ssm);
    let seeded: SeedResult = { users: {}, apiKeys: [] };
    if (options.seed) {
      progress('seeding demo data');
      seeded = await options.seed({
        clients,
        apiUrl: gw.url,
        cognito: { userPoolId: pool?.ref ?? null, clientId: client?.ref ?? null },
        parameters,
        progress,
      });
    }
    const seededIds = new Set(seeded.apiKeys.map((k) => k.apiKeyId));
    const apiKeys = [
      ...seeded.apiKeys,
      ...[...usagePlans.keys.values()]
        .filter((k) => !seededIds.has(k.id))
        .map((k) => ({ name: k.name, apiKey: k.value, apiKeyId: k.id })),
    ];

    const resources: Record<string, string> = {};
    for (const [key, r] of provisioner.resources) {
      if (r.type.startsWith('AWS::IAM') || r.type.startsWith('AWS::Logs') || r.type === 'AWS::CDK::Metadata')
        continue;
      resources[key] =
        r.type === 'AWS::SQS::Queue' || r.type.startsWith('AWS::SNS::Topic')
          ? r.ref
          : r.attrs['Arn'] && !r.attrs['Arn'].includes(':local:') && r.type !== 'AWS::DynamoDB::Table'
            ? r.attrs['Arn']
            : r.ref;
    }
    const outputs: LocalCloudOutputs = {
      region: REGION,
      apiUrl: gw.url,
      webSocketUrl: webSockets[0]?.url ?? null,
      dashboardUrl: Object.values(sites)[0] ?? null,
      sites,
      cognito: { endpoint: e.cognito, userPoolId: pool?.ref ?? null, clientId: client?.ref ?? null },
      users: seeded.users,
      apiKeys,
      emulators: { ...e, apigateway: control.url },
      resources,
      chaos: chaos ? describeChaos(chaos.spec) : 'none',
      waf: options.waf ?? 'enforce',
      parameters,
      notEmulated: Object.fromEntries(provisioner.notEmulated),
      readyInMs: Date.now() - started,
    };
    if (outputsDir) {
      mkdirSync(outputsDir, { recursive: true });
      writeFileSync(join(outputsDir, 'outputs.json'), JSON.stringify(outputs, null, 2) + '\n');
    }
    return { outputs, runtime, clients, stop, chaos };
  } catch (error) {
    await stop();
    if (error instanceof LocalCloudError || error instanceof TemplateError) throw error;
    throw new LocalCloudError(`Local cloud failed to start: ${(error as Error).message}`);
  }
}
