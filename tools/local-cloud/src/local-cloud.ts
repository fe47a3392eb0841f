import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { join, resolve as resolvePath } from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Chaos, describeChaos, parseChaosSpec } from './chaos';
import {
  startEmulators,
  claimPort,
  hasMariaDb,
  LocalCloudError,
  type EmulatorName,
  type Emulators,
} from './emulators';
import { startReplicationTasks } from './change-capture';
import { LocalLambdaApi } from './lambda-api';
import { LocalSecretsManager } from './secrets-manager';
import type { LegacyDatabase } from './provision';
import {
  dynamoDbStreamReader,
  kinesisStreamReader,
  deferralFor,
  pollSqs,
  pollStream,
  tablesWritten,
  Wakeups,
  type SqsMapping,
} from './event-sources';
import { DEFERRAL_MS, LambdaRuntime } from './lambda-runtime';
import { Provisioner, TemplateError, type Clients, type Template } from './provision';
import { restRoutes, startRestGateway } from './rest-gateway';
import { Meter } from './meter';
import {
  accessKeyFor,
  isSandboxKey,
  LocalIam,
  type IamMode,
  type PolicyStatement,
  type ResourceStatement,
} from './iam';
import { startSqsQueryFront } from './sqs-query';
import { WebAcls } from './waf';
import { startApiGatewayControl } from './apigateway-control';
import {
  apiDocuments,
  distributionBucket,
  runBucketDeployment,
  startDistribution,
  type SiteDocument,
} from './static-sites';
import { startWebSocketGateway, stopWebSocketGateway, webSocketApis } from './websocket-gateway';
import { UsagePlans } from './usage-plans';
import { startProxy } from './proxy';
import { checkPresigned } from './s3-presigned';
import { carryTraceHeader, LocalXRay } from './xray';
import { startLocalEventBus } from './event-bus';
import type { LocalEventBridge } from './eventbridge';
import { LocalState, restoreQueues, saveQueues, StreamPositions } from './persist';

export const WORKSPACE_ROOT = resolvePath(__dirname, '..', '..', '..');
export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';
/**
 * s3rver only accepts this key pair; the other emulators accept anything (DynamoDB Local runs with one shared
 * database, so any key pair sees the same tables). Written into outputs.json for the AWS CLI.
 */
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
  /** Count every call the functions make to DynamoDB, SQS/SNS, SES and S3, by function and operation (see `meter`). */
  meter?: boolean;
  /**
   * X-Ray (see `xray.ts`): functions with active tracing record their segments in the local X-Ray and the
   * trace header travels as in AWS. On by default; off, no function traces (as for the benchmarks).
   */
  tracing?: boolean;
  /**
   * Keep tables, buckets, users, queues' messages, API keys and the demo seed across runs, in this folder
   * (`true`: `.local-cloud/state`). Without it every start is fresh. See `persist.ts`.
   */
  persist?: boolean | string;
  /**
   * IAM (see `iam.ts`): `enforce` (the default) denies a function's call its role does not allow, as AWS
   * does; `warn` logs it with the statement that would allow it; `off` checks nothing.
   */
  iam?: IamMode;
  /**
   * Functions a debugger may attach to (`--inspect <function>`: a part of the label, e.g. `PlaceOrder`):
   * each gets `--inspect` on 127.0.0.1 from port 9229 up, and no timeout.
   */
  inspect?: string;
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
  /** The key pair every emulator accepts (s3rver accepts only this one), for the AWS CLI and SDKs. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  apiUrl: string;
  /** The API's OpenAPI document and its reference page on the API origin, when a site publishes one. */
  apiDocs: { openApi: string; reference: string } | null;
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
  /**
   * The legacy database (seed 004) when the templates declare one: MariaDB on loopback with the user the
   * change capture reads the binlog as; null when MariaDB is not installed or no stack has one.
   */
  legacy: { mysql: LegacyDatabase } | null;
  resources: Record<string, string>;
  /** The SSM parameters the stacks declare, as the functions read them. */
  parameters: Record<string, string>;
  /** The faults being injected, or `none`. */
  chaos: string;
  /** Whether the web ACLs' rate limits are enforced. */
  waf: 'enforce' | 'off';
  /** How the functions' roles are applied to their calls (see `iam.ts`). */
  iam: IamMode;
  /** Functions a debugger may attach to, with the inspector's address. */
  inspect: { function: string; url: string }[];
  notEmulated: Record<string, string[]>;
  readyInMs: number;
}

export interface LocalCloud {
  outputs: LocalCloudOutputs;
  /** The chaos mode's counters, when faults are injected. */
  chaos?: Chaos;
  /** The functions' calls to the emulators, when started with `meter`. */
  meter?: Meter;
  /** The local IAM: its mode and the calls it denied. */
  iam: LocalIam;
  /** The local EventBridge, and what its API destinations and log groups received. */
  events: Awaited<ReturnType<typeof startLocalEventBus>>;
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
  // The previous run's outputs describe servers that are gone: a tool must not read them while this one starts.
  if (outputsDir) rmSync(join(outputsDir, 'outputs.json'), { force: true });
  const chaos = options.chaos ? startChaos(options.chaos, outputsDir, log) : undefined;
  const meter = options.meter ? new Meter() : undefined;
  let iam: LocalIam | undefined;
  const apiPort = await claimPort(options.apiPort ?? 0, 'the REST API');
  // The emulators boot (mostly the JVM) while the templates are synthesized.
  progress('starting emulators (DynamoDB, SQS/SNS, S3, SES, Cognito)');
  const stateDir =
    typeof options.persist === 'string'
      ? options.persist
      : options.persist
        ? join(outputsDir ?? join(WORKSPACE_ROOT, '.local-cloud'), 'state')
        : undefined;
  const state = stateDir ? new LocalState(stateDir) : undefined;
  const positions = state ? new StreamPositions(state) : undefined;
  const booting = startEmulators(options.emulatorPorts, undefined, stateDir);
  let stacks: { name: string; template: Template }[];
  let legacyBoot: Promise<Emulators> | undefined;
  let cdkOutDir: string;
  try {
    if (!options.cdkOut && !options.synthesize)
      throw new TemplateError('No cloud assembly: give cdkOut (a cdk.out folder) or synthesize.');
    cdkOutDir = options.cdkOut ?? (await options.synthesize!(progress));
    stacks = readStacks(cdkOutDir);
    stackPrefix = commonPrefix(stacks.map((st) => st.name));
    // A legacy database in the templates (an RDS cluster, a DMS task): MariaDB stands in, when installed.
    const wantsMysql = stacks.some((st) =>
      Object.values(st.template.Resources).some((r) =>
        ['AWS::RDS::DBCluster', 'AWS::DMS::ReplicationTask'].includes(r.Type),
      ),
    );
    if (wantsMysql && !hasMariaDb())
      progress(
        'MariaDB is not installed (apt-get install mariadb-server): the legacy channel is off, everything else runs',
      );
    else if (wantsMysql) {
      progress('starting MariaDB (the legacy database)');
      legacyBoot = startEmulators(options.emulatorPorts, ['mysql'], stateDir);
    }
  } catch (error) {
    await booting.then(
      (e) => e.stop(),
      () => undefined,
    );
    throw error;
  }
  const emulators: Emulators = await booting.catch(async (error: unknown) => {
    await legacyBoot?.then((l) => l.stop()).catch(() => undefined);
    throw error;
  });
  let legacyEmulators: Emulators | undefined;
  try {
    legacyEmulators = await legacyBoot;
  } catch (error) {
    await emulators.stop();
    throw error;
  }
  const legacyDatabase = legacyEmulators?.info.mysql as LegacyDatabase | undefined;
  progress('emulators ready');
  const stops: (() => void)[] = [];
  let runtime: LambdaRuntime | undefined;
  let gateway: http.Server | undefined;
  let apiDocs: ((path: string) => Promise<SiteDocument | undefined>) | undefined;
  const webSockets: Awaited<ReturnType<typeof startWebSocketGateway>>[] = [];
  const siteServers: http.Server[] = [];
  let controlServer: http.Server | undefined;
  let sqsFront: http.Server | undefined;
  let xray: LocalXRay | undefined;
  let eventBus: LocalEventBridge | undefined;
  let secrets: LocalSecretsManager | undefined;
  let saveApiKeys: (() => void) | undefined;
  const stop = async () => {
    stops.forEach((s) => s());
    if (state) {
      // What a restart with --persist takes back: the queues' messages, the keys, the streams' positions.
      const saved = await saveQueues(emulators.endpoints.sqs, state).catch((error: Error) => {
        log('persist', `queues not saved: ${error.message}`);
        return 0;
      });
      log('persist', `${saved} queued message(s) saved in ${stateDir}`);
      saveApiKeys?.();
      positions?.stop();
    }
    xray?.stop();
    eventBus?.stop();
    chaos?.stop();
    meter?.stop();
    iam?.stop();
    // The WebSockets first: closing them invokes $disconnect, which the runtime still answers (or refuses).
    await Promise.all(webSockets.map((w) => stopWebSocketGateway(w)));
    runtime?.stop();
    controlServer?.closeAllConnections();
    controlServer?.close();
    sqsFront?.closeAllConnections();
    sqsFront?.close();
    for (const site of siteServers) site.closeAllConnections();
    await Promise.all(siteServers.map((site) => new Promise((r) => site.close(r))));
    await new Promise<void>((r) => (gateway ? gateway.close(() => r()) : r()));
    gateway?.closeAllConnections?.();
    secrets?.stop();
    await legacyEmulators?.stop();
    await emulators.stop();
  };

  let changeCapture: Promise<void> | undefined;
  try {
    const e = emulators.endpoints;
    const { clients, streams } = emulatorClients(e);

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
    // Secrets Manager: the templates' secrets (the legacy database's among them), checked against roles.
    secrets = await new LocalSecretsManager({
      region: REGION,
      accountId: ACCOUNT_ID,
      authorize: (req, action, resource) => {
        const denial = iam?.authorize(req, [{ action, resources: [resource], context: {} }]);
        return denial && iam?.refuses ? iam.deniedMessage(req, denial) : undefined;
      },
    }).start();
    provisioner.secrets = secrets;
    provisioner.legacyDatabase = legacyDatabase;
    await provisionInOrder(provisioner, stacks);

    // API keys and usage plans, checked by the REST gateway and managed by functions through the control plane.
    const usagePlans = new UsagePlans(provisioner);
    if (state) {
      const keptKeys = state.read<Parameters<UsagePlans['restore']>[0]>('api-keys.json');
      if (keptKeys) usagePlans.restore(keptKeys);
      // Written when they change (the control plane creates and disables partner keys), so a killed run
      // keeps them too; checked every second.
      let written = JSON.stringify(keptKeys ?? null);
      saveApiKeys = () => {
        const now = JSON.stringify(usagePlans.snapshot());
        if (now === written) return;
        state.write('api-keys.json', usagePlans.snapshot());
        written = now;
      };
      const keysTimer = setInterval(() => saveApiKeys?.(), 1000);
      keysTimer.unref();
      stops.push(() => clearInterval(keysTimer));
    }
    iam = new LocalIam(
      options.iam ?? 'enforce',
      { region: REGION, accountId: ACCOUNT_ID, partitionKeyOf: partitionKeys(provisioner) },
      (line) => log('iam', line),
    );
    await applyResourcePolicies(iam, provisioner, clients.sns);
    const control = await startApiGatewayControl({
      usagePlans,
      log: (line) => log('apigateway', line),
      iam,
      region: REGION,
    });
    controlServer = control.server;
    // Tools outside (the AWS CLI of Debian, older SDKs) may speak SQS's query protocol: they get a front
    // that translates it; the functions keep the emulator's own endpoint.
    const front = await startSqsQueryFront(e.sqs, 0, (line) => log('sqs', line));
    sqsFront = front.server;

    const functionEnv = await functionEnvironment(e, control.url, chaos);
    // EventBridge: the templates' buses, rules and archives; its targets are delivered once the runtime runs.
    const events = await startLocalEventBus({
      provisioner,
      sqs: clients.sqs,
      invoke: (name, event) => runtime!.invoke(name, event),
      iam,
      region: REGION,
      accountId: ACCOUNT_ID,
      outputsDir,
      log: (line) => log('events', line),
    });
    eventBus = events.bus;
    functionEnv['AWS_ENDPOINT_URL_EVENTBRIDGE'] = events.bus.endpoint;
    functionEnv['AWS_ENDPOINT_URL_SECRETS_MANAGER'] = secrets.endpoint;
    // Lambda's Invoke, for functions that invoke others, checked against the caller's role.
    const callerIam = iam;
    const lambdaApi = await new LocalLambdaApi({
      invoke: (name, payload) => runtime!.invoke(name, payload),
      has: (name) => runtime?.has(name) ?? false,
      arnOf: (name) => `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`,
      authorize: (req, arn) => {
        const denial = callerIam.authorize(req, [
          { action: 'lambda:InvokeFunction', resources: [arn], context: {} },
        ]);
        return denial && callerIam.refuses ? callerIam.deniedMessage(req, denial) : undefined;
      },
      log: (line) => log('lambda', line),
    }).start();
    stops.push(() => lambdaApi.stop());
    functionEnv['AWS_ENDPOINT_URL_LAMBDA'] = lambdaApi.endpoint;
    if (options.tracing !== false) {
      const localIam = iam;
      xray = await new LocalXRay((req, action) => {
        const denial = localIam.authorize(req, [{ action: `xray:${action}`, resources: ['*'], context: {} }]);
        return denial && localIam.refuses ? localIam.deniedMessage(req, denial) : undefined;
      }).start();
      functionEnv['AWS_XRAY_DAEMON_ADDRESS'] = xray.daemonAddress;
      functionEnv['AWS_ENDPOINT_URL_XRAY'] = xray.endpoint;
      // SNS and SQS carry the caller's trace header on to the function that receives the message.
      const carrying = new Map<string, string>();
      for (const variable of ['AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_SNS'] as const) {
        const target = functionEnv[variable]!;
        if (!carrying.has(target)) {
          const proxy = await startProxy(target, () => false, { rewrite: carryTraceHeader });
          stops.push(() => {
            proxy.server.closeAllConnections();
            proxy.server.close();
          });
          carrying.set(target, proxy.url);
        }
        functionEnv[variable] = carrying.get(target)!;
      }
    }
    if (meter) {
      // Metering sits in front of whatever the functions reach (the chaos proxies included).
      for (const [variable, service] of [
        ['AWS_ENDPOINT_URL_DYNAMODB', 'dynamodb'],
        ['AWS_ENDPOINT_URL_SQS', 'sqs'],
        ['AWS_ENDPOINT_URL_SNS', 'sns'],
        ['AWS_ENDPOINT_URL_SES', 'ses'],
        ['AWS_ENDPOINT_URL_S3', 's3'],
        ['AWS_ENDPOINT_URL_EVENTBRIDGE', 'events'],
      ] as const)
        if (functionEnv[variable]) functionEnv[variable] = await meter.proxy(service, functionEnv[variable]!);
    }
    // A table's stream is read as soon as a function's write to it is answered (see pollStream).
    const wakeups = new Wakeups();
    const writes = await startProxy(functionEnv['AWS_ENDPOINT_URL_DYNAMODB']!, () => false, {
      answered: (req, body, status) => {
        if (status < 300)
          for (const table of tablesWritten(req.headers['x-amz-target'] as string, body)) wakeups.wake(table);
      },
    });
    stops.push(() => {
      writes.server.closeAllConnections();
      writes.server.close();
    });
    functionEnv['AWS_ENDPOINT_URL_DYNAMODB'] = writes.url;
    // IAM sits in front of everything the functions reach: a denied call goes no further.
    for (const [variable, service] of [
      ['AWS_ENDPOINT_URL_DYNAMODB', 'dynamodb'],
      ['AWS_ENDPOINT_URL_SQS', 'sqs'],
      ['AWS_ENDPOINT_URL_SNS', 'sns'],
      ['AWS_ENDPOINT_URL_SES', 'ses'],
      ['AWS_ENDPOINT_URL_SESV2', 'ses'],
      ['AWS_ENDPOINT_URL_S3', 's3'],
    ] as const)
      functionEnv[variable] = await iam.proxy(service, functionEnv[variable]!);
    // S3 checks a presigned link's signature (s3rver checks only its expiry): a link signed wrong, or
    // changed after signing, is refused here as in AWS. In the same hop as the IAM check.
    const presigned = await startProxy(functionEnv['AWS_ENDPOINT_URL_S3']!, (req, _body, res) => {
      const refusal = checkPresigned(req, (id) =>
        id === CREDENTIALS.accessKeyId || isSandboxKey(id) ? CREDENTIALS.secretAccessKey : undefined,
      );
      if (!refusal) return false;
      res.writeHead(refusal.status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`,
      );
      return true;
    });
    stops.push(() => {
      presigned.server.closeAllConnections();
      presigned.server.close();
    });
    functionEnv['AWS_ENDPOINT_URL_S3'] = presigned.url;
    // API Gateway hostnames in the templates point at the local gateways (see localUrlRewriter).
    const wsApis = webSocketApis(provisioner);
    const wsPorts: number[] = [];
    for (const [i] of wsApis.entries())
      wsPorts.push(await claimPort(i === 0 ? (options.webSocketPort ?? 0) : 0, 'the WebSocket API'));
    const localUrls = localUrlRewriter(provisioner, apiPort, wsApis, wsPorts);

    const recorder = xray;
    runtime = new LambdaRuntime(log, chaos, recorder ? (doc) => recorder.put(doc) : undefined);
    const inspected = registerFunctions(
      runtime,
      provisioner,
      cdkOutDir,
      functionEnv,
      localUrls,
      iam,
      options.inspect,
    );

    stops.push(...wireEventSources(runtime, provisioner, clients, streams, log, chaos, positions, wakeups));
    // DMS's part: each replication task's source (through its secret) followed into its Kinesis stream.
    // It starts while the APIs start and the demo data goes in (none of which writes to the legacy
    // database), and is awaited before the cloud is ready.
    if (legacyDatabase) progress('starting the change capture of the legacy database (DMS)');
    changeCapture = legacyDatabase
      ? startReplicationTasks({
          provisioner,
          secrets,
          kinesisEndpoint: e.kinesis,
          region: REGION,
          log: (line) => log('dms', line),
        }).then((tasks) => void stops.push(...tasks.map((t) => () => t.stop())))
      : undefined;
    // Awaited below, or on failure before stopping: never an unhandled rejection meanwhile.
    changeCapture?.catch(() => undefined);
    if (state) {
      const queueUrls = new Map(
        provisioner.byType('AWS::SQS::Queue').map((q) => [String(q.attrs['QueueName']), q.ref]),
      );
      const restored = await restoreQueues(
        clients.sqs,
        (name) => queueUrls.get(name),
        state,
        (line) => log('persist', line),
      );
      if (restored) log('persist', `${restored} message(s) of the last run put back in their queues`);
    }

    progress('starting the REST API');
    const pool = provisioner.byType('AWS::Cognito::UserPool')[0];
    const client = provisioner.byType('AWS::Cognito::UserPoolClient')[0];
    const gw = await startRestApis(provisioner, {
      port: apiPort,
      runtime,
      clients,
      cognitoEndpoint: e.cognito,
      usagePlans,
      waf: options.waf ?? 'enforce',
      log,
      xray,
      // The API documents a site publishes (its `openapi.json`), once the sites are deployed below.
      documents: async (path) => apiDocs?.(path),
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
          iam,
        }),
      );
    }

    const { sites, documents } = await startSites(provisioner, {
      cdkOutDir,
      sitePorts,
      s3: clients.s3,
      localUrls,
      servers: siteServers,
      progress,
      log,
    });
    apiDocs = documents;

    for (const change of provisioner.keptTableChanges)
      log('persist', `kept table brought to its template: ${change}`);
    const parameters = Object.fromEntries(provisioner.ssm);
    let seeded: SeedResult = { users: {}, apiKeys: [] };
    const keptSeed = state?.read<SeedResult>('seed.json');
    if (keptSeed) {
      // Seeded in an earlier run whose data is kept: its users and keys, not a second catalogue.
      progress('demo data kept from the last run (--persist)');
      seeded = keptSeed;
    } else if (options.seed) {
      progress('seeding demo data');
      const seed = options.seed;
      const run = () =>
        seed({
          clients,
          apiUrl: gw.url,
          cognito: { userPoolId: pool?.ref ?? null, clientId: client?.ref ?? null },
          parameters,
          progress,
        });
      // Faults start once the demo data is in: a seed is not under test.
      seeded = chaos ? await chaos.quiet(run) : await run();
      state?.write('seed.json', seeded);
      saveApiKeys?.();
    }
    await changeCapture;
    const apiKeys = allApiKeys(seeded, usagePlans);

    const outputs: LocalCloudOutputs = {
      region: REGION,
      credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey },
      apiUrl: gw.url,
      apiDocs: documents ? { openApi: `${gw.url}/openapi.json`, reference: `${gw.url}/docs/` } : null,
      webSocketUrl: webSockets[0]?.url ?? null,
      dashboardUrl: Object.values(sites)[0] ?? null,
      sites,
      cognito: { endpoint: e.cognito, userPoolId: pool?.ref ?? null, clientId: client?.ref ?? null },
      users: seeded.users,
      apiKeys,
      emulators: {
        ...e,
        sqs: front.url,
        sns: front.url,
        apigateway: control.url,
        events: events.bus.endpoint,
        secretsmanager: secrets.endpoint,
        lambda: functionEnv['AWS_ENDPOINT_URL_LAMBDA']!,
        ...(xray ? { xray: xray.endpoint } : {}),
      },
      legacy: legacyDatabase ? { mysql: legacyDatabase } : null,
      resources: resourceOutputs(provisioner),
      chaos: chaos ? describeChaos(chaos.spec) : 'none',
      waf: options.waf ?? 'enforce',
      iam: iam.mode,
      inspect: inspected,
      parameters,
      notEmulated: Object.fromEntries(provisioner.notEmulated),
      readyInMs: Date.now() - started,
    };
    if (outputsDir) {
      mkdirSync(outputsDir, { recursive: true });
      // Written whole or not at all: a reader never sees half a file.
      const partial = join(outputsDir, `outputs.json.${process.pid}.tmp`);
      writeFileSync(partial, JSON.stringify(outputs, null, 2) + '\n');
      renameSync(partial, join(outputsDir, 'outputs.json'));
    }
    return { outputs, runtime, clients, stop, chaos, meter, iam, events };
  } catch (error) {
    // A change capture still starting registers its stop first.
    await changeCapture?.catch(() => undefined);
    await stop();
    if (error instanceof LocalCloudError || error instanceof TemplateError) throw error;
    throw new LocalCloudError(`Local cloud failed to start: ${(error as Error).message}`);
  }
}

/** What every local function's environment holds: the emulators' endpoints (chaos proxies where faults are injected). */
async function functionEnvironment(
  e: Emulators['endpoints'],
  controlUrl: string,
  chaos: Chaos | undefined,
): Promise<Record<string, string>> {
  return {
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
    AWS_ENDPOINT_URL_KINESIS: e.kinesis,
    AWS_ENDPOINT_URL_API_GATEWAY: controlUrl,
    // What Lambda sets: Powertools and the X-Ray SDK read these to know they run in a function.
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    NODE_NO_WARNINGS: '1',
  };
}

/**
 * API Gateway hostnames in the templates (`<id>.execute-api.<region>.amazonaws.com`) point at the local
 * gateways: the one mapping that stands in for DNS, so handler code needs no local branch. Every REST API is
 * served on the one local API origin, without its stage path.
 */
function localUrlRewriter(
  provisioner: Provisioner,
  apiPort: number,
  wsApis: ReturnType<typeof webSocketApis>,
  wsPorts: number[],
): (value: string) => string {
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
  return (value: string) => hostRewrites.reduce((v, [from, to]) => v.split(from!).join(to!), value);
}

/** Every role's statements (its inline policies and the `AWS::IAM::Policy` resources attached to it), by role ARN. */
function roleStatements(provisioner: Provisioner): Map<string, PolicyStatement[]> {
  const byArn = new Map<string, PolicyStatement[]>();
  const policies = provisioner.byType('AWS::IAM::Policy');
  for (const role of provisioner.byType('AWS::IAM::Role')) {
    const documents = [
      ...((role.properties['Policies'] as { PolicyDocument: { Statement: PolicyStatement[] } }[]) ?? []).map(
        (p) => p.PolicyDocument,
      ),
      ...policies
        .filter((p) => ((p.properties['Roles'] as string[]) ?? []).includes(role.ref))
        .map((p) => p.properties['PolicyDocument'] as { Statement: PolicyStatement[] }),
    ];
    // DynamoDB Local names its region `ddblocal` in the ARNs it returns; a call is checked as AWS names it.
    const statements = documents.flatMap((d) => [d?.Statement ?? []].flat());
    byArn.set(
      role.attrs['Arn']!,
      JSON.parse(JSON.stringify(statements).replaceAll(':dynamodb:ddblocal:', `:dynamodb:${REGION}:`)),
    );
  }
  return byArn;
}

/**
 * The templates' queue, topic and bucket policies, for the local IAM to weigh with the functions' roles;
 * and SNS's delivery to each subscribed queue, checked against that queue's policy as SNS is: a topic the
 * queue does not admit (`sqs:SendMessage` for `sns.amazonaws.com`, the topic as `aws:SourceArn`) delivers
 * nothing in AWS, so under `enforce` its subscription is removed and the denial recorded.
 */
async function applyResourcePolicies(iam: LocalIam, provisioner: Provisioner, sns: SNSClient): Promise<void> {
  const queueArnByUrl = new Map(provisioner.byType('AWS::SQS::Queue').map((q) => [q.ref, q.attrs['Arn']!]));
  const statementsOf = (p: Record<string, unknown>) =>
    [
      (p['PolicyDocument'] as { Statement?: ResourceStatement | ResourceStatement[] })?.Statement ?? [],
    ].flat();
  for (const policy of provisioner.byType('AWS::SQS::QueuePolicy'))
    for (const url of (policy.properties['Queues'] as string[]) ?? [])
      iam.addResourcePolicy(queueArnByUrl.get(url) ?? url, statementsOf(policy.properties));
  for (const policy of provisioner.byType('AWS::SNS::TopicPolicy'))
    for (const topic of (policy.properties['Topics'] as string[]) ?? [])
      iam.addResourcePolicy(topic, statementsOf(policy.properties));
  for (const policy of provisioner.byType('AWS::S3::BucketPolicy'))
    iam.addResourcePolicy(
      `arn:aws:s3:::${String(policy.properties['Bucket'])}`,
      statementsOf(policy.properties),
    );
  for (const subscription of provisioner.byType('AWS::SNS::Subscription')) {
    const p = subscription.properties;
    if (p['Protocol'] !== 'sqs') continue;
    const topicArn = String(p['TopicArn']);
    const queueArn = String(p['Endpoint']);
    const delivers = iam.serviceMay(
      'sns.amazonaws.com',
      { action: 'sqs:SendMessage', resources: [queueArn], context: { 'aws:SourceArn': [topicArn] } },
      `topic ${topicArn} cannot deliver to queue ${queueArn}: in AWS its messages would be lost`,
    );
    if (!delivers) await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscription.ref }));
  }
}

/** The partition key attribute of each table, by table name (for `dynamodb:LeadingKeys`). */
function partitionKeys(provisioner: Provisioner): (table: string) => string | undefined {
  const keys = new Map<string, string>();
  for (const t of provisioner.byType('AWS::DynamoDB::Table')) {
    const hash = ((t.properties['KeySchema'] as { AttributeName: string; KeyType: string }[]) ?? []).find(
      (k) => k.KeyType === 'HASH',
    );
    if (hash) keys.set(t.ref, hash.AttributeName);
  }
  return (table) => keys.get(table);
}

/** A function's name from a `FunctionName` property (a name or an ARN). */
const nameOf = (value: unknown) => String(value).split(':').pop()!;

/**
 * The functions only event sources invoke (an enabled event source mapping names them; no permission lets
 * an API Gateway or another service invoke them): nobody waits on their answer.
 */
export function backgroundFunctions(provisioner: Pick<Provisioner, 'byType'>): Set<string> {
  const fed = new Set(
    provisioner
      .byType('AWS::Lambda::EventSourceMapping')
      .filter((m) => m.properties['Enabled'] !== false)
      .map((m) => nameOf(m.properties['FunctionName'])),
  );
  for (const permission of provisioner.byType('AWS::Lambda::Permission'))
    fed.delete(nameOf(permission.properties['FunctionName']));
  return fed;
}

/**
 * The background functions in no hurry: every enabled mapping that feeds them gathers records over a
 * batching window (`MaximumBatchingWindowInSeconds` > 0), as consumers off an order's critical path (a
 * dashboard, mails) are configured to cost fewer invocations.
 */
export function deferrableFunctions(provisioner: Pick<Provisioner, 'byType'>): Set<string> {
  const windows = new Map<string, boolean>();
  for (const m of provisioner.byType('AWS::Lambda::EventSourceMapping')) {
    if (m.properties['Enabled'] === false) continue;
    const name = nameOf(m.properties['FunctionName']);
    const windowed = Number(m.properties['MaximumBatchingWindowInSeconds'] ?? 0) > 0;
    windows.set(name, (windows.get(name) ?? true) && windowed);
  }
  const background = backgroundFunctions(provisioner);
  return new Set([...windows].filter(([name, all]) => all && background.has(name)).map(([name]) => name));
}

/** Registers every Node.js function of the templates with the runtime: its asset, handler, limits and environment. */
function registerFunctions(
  runtime: LambdaRuntime,
  provisioner: Provisioner,
  cdkOutDir: string,
  functionEnv: Record<string, string>,
  localUrls: (value: string) => string,
  iam: LocalIam,
  inspect?: string,
): { function: string; url: string }[] {
  const statements = roleStatements(provisioner);
  const inspected: { function: string; url: string }[] = [];
  const background = backgroundFunctions(provisioner);
  const deferrable = deferrableFunctions(provisioner);
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
    const tracing = (p['TracingConfig'] as { Mode?: 'Active' | 'PassThrough' } | undefined)?.Mode;
    const traced = tracing === 'Active' && Boolean(functionEnv['AWS_XRAY_DAEMON_ADDRESS']);
    // Its own access key: how the local IAM knows which role a call comes from.
    const accessKeyId = accessKeyFor(fn.ref);
    const roleArn = String(p['Role'] ?? '');
    const debug = inspect && `${label} ${fn.ref}`.toLowerCase().includes(inspect.toLowerCase());
    const inspectPort = debug ? 9229 + inspected.length : undefined;
    if (inspectPort) inspected.push({ function: label, url: `ws://127.0.0.1:${inspectPort}` });
    iam.register(accessKeyId, { label, roleArn, statements: statements.get(roleArn) ?? [] });
    runtime.register({
      name: fn.ref,
      label,
      codeDir,
      handler: String(p['Handler'] ?? 'index.handler'),
      timeoutMs: Number(p['Timeout'] ?? 3) * 1000,
      memoryMb: Number(p['MemorySize'] ?? 128),
      reservedConcurrency: p['ReservedConcurrentExecutions'] as number | undefined,
      inspectPort,
      tracing,
      background: background.has(fn.ref),
      deferrable: deferrable.has(fn.ref),
      environment: {
        ...functionEnv,
        LAMBDA_TASK_ROOT: codeDir,
        _HANDLER: String(p['Handler'] ?? 'index.handler'),
        // Powertools Tracer records only where the function's tracing is active and a collector listens.
        POWERTOOLS_TRACE_ENABLED: String(traced),
        ...Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, localUrls(String(v))])),
        AWS_LAMBDA_FUNCTION_NAME: fn.ref,
        AWS_ACCESS_KEY_ID: accessKeyId,
        // The SDK puts `app/<id>` in its user agent: how the chaos proxies name the calling function.
        AWS_SDK_UA_APP_ID: label.slice(0, 50),
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(p['MemorySize'] ?? 128),
        LOCAL_FUNCTION_ARN: fn.attrs['Arn']!,
      },
    });
  }
  return inspected;
}

/**
 * How the Lambda service would poll a queue for an SQS event source mapping of the templates (`pollSqs`):
 * its batch size, concurrency, window and, for a deferrable function, how long a received batch may wait for
 * the functions an order waits on (`deferralFor`, within the queue's visibility timeout).
 */
export function sqsMappingOf(
  p: Record<string, unknown>,
  queue: { ref: string; properties: Record<string, unknown> },
  queueArn: string,
  functionTimeoutSeconds: unknown,
  deferrable: boolean,
): SqsMapping {
  const batchingWindowMs = Number(p['MaximumBatchingWindowInSeconds'] ?? 0) * 1000;
  return {
    functionName: String(p['FunctionName']).split(':').pop()!,
    queueUrl: queue.ref,
    queueArn,
    batchSize: Number(p['BatchSize'] ?? 10),
    maxConcurrency: Math.min(
      5,
      Number((p['ScalingConfig'] as { MaximumConcurrency?: number })?.MaximumConcurrency ?? 2),
    ),
    reportBatchItemFailures: ((p['FunctionResponseTypes'] as string[]) ?? []).includes(
      'ReportBatchItemFailures',
    ),
    batchingWindowMs,
    deferralMs: deferrable
      ? deferralFor(
          DEFERRAL_MS,
          Number(queue.properties['VisibilityTimeout'] ?? 30) * 1000,
          batchingWindowMs,
          Number(functionTimeoutSeconds ?? 3) * 1000,
        )
      : undefined,
  };
}

/** Polls every enabled event source mapping's queue or table stream for its function; returns their stops. */
function wireEventSources(
  runtime: LambdaRuntime,
  provisioner: Provisioner,
  clients: Clients,
  streams: DynamoDBStreamsClient,
  log: (source: string, line: string) => void,
  chaos: Chaos | undefined,
  positions?: StreamPositions,
  wakeups?: Wakeups,
): (() => void)[] {
  const stops: (() => void)[] = [];
  const deferrable = deferrableFunctions(provisioner);
  const queuesByArn = new Map(provisioner.byType('AWS::SQS::Queue').map((q) => [q.attrs['Arn'], q]));
  const kinesisByArn = new Set(provisioner.byType('AWS::Kinesis::Stream').map((k) => k.attrs['Arn']));
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
          sqsMappingOf(p, queue, sourceArn, fnResource?.properties['Timeout'], deferrable.has(functionName)),
          (line) => log(label, line),
          REGION,
          chaos,
        ),
      );
      continue;
    }
    const kinesisStream = kinesisByArn.has(sourceArn);
    if (tablesByStream.has(sourceArn) || kinesisStream) {
      const onFailure = (p['DestinationConfig'] as { OnFailure?: { Destination?: string } })?.OnFailure
        ?.Destination;
      const filters = ((p['FilterCriteria'] as { Filters?: { Pattern: string }[] })?.Filters ?? []).map((f) =>
        JSON.parse(f.Pattern),
      );
      stops.push(
        pollStream(
          runtime,
          kinesisStream
            ? kinesisStreamReader(clients.kinesis, sourceArn)
            : dynamoDbStreamReader(streams, sourceArn),
          clients.sqs,
          {
            functionName,
            streamArn: sourceArn,
            startingPosition: (p['StartingPosition'] as 'TRIM_HORIZON' | 'LATEST') ?? 'TRIM_HORIZON',
            batchSize: Number(p['BatchSize'] ?? 100),
            // -1 (the default in AWS) retries until the record expires.
            retryAttempts: forever(p['MaximumRetryAttempts'] ?? -1),
            bisectOnError:
              p['BisectBatchOnFunctionError'] === true || p['BisectBatchOnFunctionError'] === 'true',
            maxRecordAgeSeconds: forever(p['MaximumRecordAgeInSeconds'] ?? -1),
            reportBatchItemFailures,
            filters,
            onFailureQueueUrl: onFailure ? queuesByArn.get(onFailure)?.ref : undefined,
          },
          (line) => log(label, line),
          REGION,
          chaos,
          positions,
          kinesisStream || !wakeups
            ? undefined
            : (listener) => wakeups.on(tablesByStream.get(sourceArn)!.ref, listener),
        ),
      );
      continue;
    }
    provisioner.notEmulated.set('AWS::Lambda::EventSourceMapping', [
      ...(provisioner.notEmulated.get('AWS::Lambda::EventSourceMapping') ?? []),
      `${mapping.stack}/${mapping.logicalId} (source ${sourceArn})`,
    ]);
  }
  return stops;
}

/** A limit where -1 means none. */
const forever = (value: unknown) => (Number(value) === -1 ? Infinity : Number(value));

/** Creates the stacks in the emulators, each once the SSM parameters it reads exist (stacks wire through SSM). */
async function provisionInOrder(
  provisioner: Provisioner,
  stacks: { name: string; template: Template }[],
): Promise<void> {
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
}

/** Every REST API at one origin, with its web ACLs (unless `waf` is off) and the SQS service integration. */
async function startRestApis(
  provisioner: Provisioner,
  o: {
    port: number;
    runtime: LambdaRuntime;
    clients: Clients;
    cognitoEndpoint: string;
    usagePlans: UsagePlans;
    waf: 'enforce' | 'off';
    log: (source: string, line: string) => void;
    xray?: LocalXRay;
    documents?: (path: string) => Promise<SiteDocument | undefined>;
  },
): Promise<{ server: http.Server; url: string }> {
  const queuesByName = new Map(
    provisioner.byType('AWS::SQS::Queue').map((q) => [q.attrs['QueueName'], q.ref]),
  );
  const webAcls = new WebAcls(provisioner);
  if (webAcls.notEmulated.length) provisioner.notEmulated.set('AWS::WAFv2::WebACL', webAcls.notEmulated);
  return startRestGateway({
    xray: o.xray,
    documents: o.documents,
    port: o.port,
    routes: restRoutes(provisioner),
    runtime: o.runtime,
    cognitoEndpoint: o.cognitoEndpoint,
    accountId: ACCOUNT_ID,
    log: (line) => o.log('api', line),
    usagePlans: o.usagePlans,
    webAcls: o.waf === 'off' ? undefined : webAcls,
    sendToQueue: async (queueName, body, attributes) => {
      const queueUrl = queuesByName.get(queueName);
      if (!queueUrl) throw new Error(`No queue ${queueName}`);
      const res = await o.clients.sqs.send(
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
}

/** Runs the CDK bucket deployments and serves each CloudFront distribution from its bucket; their URLs by id. */
async function startSites(
  provisioner: Provisioner,
  o: {
    cdkOutDir: string;
    sitePorts: number[];
    s3: S3Client;
    localUrls: (value: string) => string;
    servers: http.Server[];
    progress: (step: string) => void;
    log: (source: string, line: string) => void;
  },
): Promise<{
  sites: Record<string, string>;
  documents?: (path: string) => Promise<SiteDocument | undefined>;
}> {
  let documents: ((path: string) => Promise<SiteDocument | undefined>) | undefined;
  for (const deployment of provisioner.byType('Custom::CDKBucketDeployment')) {
    o.progress(`deploying site files (${shortStack(deployment.stack)}/${deployment.logicalId})`);
    const keys = await runBucketDeployment(deployment, o.cdkOutDir, o.s3, o.localUrls);
    const openApi = keys.find((k) => k === 'openapi.json' || k.endsWith('/openapi.json'));
    if (openApi)
      documents = apiDocuments(
        o.s3,
        String(deployment.properties['DestinationBucketName']),
        openApi.slice(0, -'openapi.json'.length),
      );
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
      port: o.sitePorts[i]!,
      bucket,
      defaultRootObject: config.DefaultRootObject ?? 'index.html',
      s3: o.s3,
      log: (line) => o.log('cdn', line),
    });
    o.servers.push(site.server);
    sites[`${distribution.stack}/${distribution.logicalId}`] = site.url;
  }
  return { sites, documents };
}

/** Every resource's physical name or ARN, by `<stack>/<logical id>`, as the outputs list them. */
function resourceOutputs(provisioner: Provisioner): Record<string, string> {
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
  return resources;
}

/** The chaos mode: the faults of the spec, each logged (to `chaos.log` in the outputs folder when there is one). */
function startChaos(
  spec: string,
  outputsDir: string | null,
  log: (source: string, line: string) => void,
): Chaos {
  const parsed = parseChaosSpec(spec);
  if (outputsDir) mkdirSync(outputsDir, { recursive: true });
  const chaosLog = outputsDir ? join(outputsDir, 'chaos.log') : undefined;
  if (chaosLog) writeFileSync(chaosLog, '');
  return new Chaos(parsed, (line) => log('chaos', line), chaosLog);
}

/**
 * SDK clients of the emulators, with the one key pair they all accept. Their logger drops everything, as
 * the SDK's default does, but has no `info`: otherwise the SDK walks every call's input and output through
 * its sensitive-data filter to build a line nobody reads (a third of the CPU of reading 25 stream records).
 */
function emulatorClients(e: Emulators['endpoints']): { clients: Clients; streams: DynamoDBStreamsClient } {
  const common = {
    region: REGION,
    credentials: CREDENTIALS,
    logger: { debug() {}, warn() {}, error() {} } as unknown as NonNullable<DynamoDBClientConfig['logger']>,
  };
  return {
    clients: {
      dynamodb: new DynamoDBClient({ ...common, endpoint: e.dynamodb }),
      sqs: new SQSClient({ ...common, endpoint: e.sqs }),
      sns: new SNSClient({ ...common, endpoint: e.sqs }),
      s3: new S3Client({ ...common, endpoint: e.s3, forcePathStyle: true }),
      cognito: new CognitoIdentityProviderClient({ ...common, endpoint: e.cognito }),
      // Kinesis' client speaks HTTP/2 by default (for SubscribeToShard); the emulator speaks HTTP/1.1.
      kinesis: new KinesisClient({ ...common, endpoint: e.kinesis, requestHandler: new NodeHttpHandler() }),
    },
    streams: new DynamoDBStreamsClient({ ...common, endpoint: e.dynamodb }),
  };
}

/** The seed's API keys (with the names it gave them), then every other key the control plane holds. */
function allApiKeys(seeded: SeedResult, usagePlans: UsagePlans): SeedResult['apiKeys'] {
  const seededIds = new Set(seeded.apiKeys.map((k) => k.apiKeyId));
  return [
    ...seeded.apiKeys,
    ...[...usagePlans.keys.values()]
      .filter((k) => !seededIds.has(k.id))
      .map((k) => ({ name: k.name, apiKey: k.value, apiKeyId: k.id })),
  ];
}
