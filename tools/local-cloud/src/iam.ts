import { createHash } from 'node:crypto';
import type http from 'node:http';
import { startProxy } from './proxy';

/**
 * IAM, enforced locally: every call a function makes to an emulated service (DynamoDB, SQS, SNS, S3, SES)
 * is checked against that function's execution role as the templates declare it — identity policies
 * (`AWS::IAM::Policy` attached to the role and the role's inline policies) with their actions, resource
 * ARNs and the condition keys the templates use — and denied as the real service denies it.
 *
 * Each sandbox has its own access key (`LOCAL<hex>`), which is how a call is traced to its role; calls
 * signed with any other key (the local cloud itself, a developer's AWS CLI) are not checked.
 */
export type IamMode = 'enforce' | 'warn' | 'off';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A statement of a resource policy (queue, topic or bucket policy): whom it is about, besides what. */
export interface ResourceStatement extends PolicyStatement {
  Principal?: '*' | { AWS?: string | string[]; Service?: string | string[] };
}

/** Who a call comes from, for a resource policy: a role (a function) or an AWS service. */
export type Caller = { roleArn: string } | { service: string };

/** Whether a resource policy statement is about this caller (an account-wide principal only denies). */
export function principalMatches(statement: ResourceStatement, caller: Caller, accountId: string): boolean {
  const p = statement.Principal;
  if (p === undefined) return false;
  if (p === '*') return true;
  if ('service' in caller) return list(p.Service).includes(caller.service);
  const named = list(p.AWS);
  if (named.includes('*') || named.includes(caller.roleArn)) return true;
  // The account as principal delegates to the account's own policies: it grants nothing by itself, but
  // a Deny naming it applies to every role of the account.
  return (
    statement.Effect === 'Deny' &&
    named.some((a) => a === accountId || a === `arn:aws:iam::${accountId}:root`)
  );
}

/** One thing a request asks to do: an IAM action on a resource (any of `resources`), with condition keys. */
export interface AccessRequest {
  action: string;
  /** The resource ARN; several when any of them may grant it (an SES identity: the address or its domain). */
  resources: string[];
  context: Record<string, string[]>;
}

export interface Principal {
  /** The function, as logs name it. */
  label: string;
  roleArn: string;
  statements: PolicyStatement[];
}

export interface Denial {
  function: string;
  action: string;
  resource: string;
  /** Why: an explicit deny (with its Sid), or no statement allowing it. */
  reason: string;
}

/** The access key a function's sandbox signs with: letters and digits only (DynamoDB Local requires it). */
/** Whether an access key is one `accessKeyFor` makes (a sandbox's, signing with the shared secret). */
export const isSandboxKey = (accessKeyId: string): boolean => /^LOCAL[0-9A-F]+$/.test(accessKeyId);

export function accessKeyFor(functionName: string): string {
  return `LOCAL${createHash('sha256').update(functionName).digest('hex').slice(0, 15).toUpperCase()}`;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

/** Compiled patterns: every call a function makes is checked, so each pattern is compiled once. */
const compiled = new Map<string, RegExp>();

function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (!pattern.includes('*') && !pattern.includes('?'))
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    const source = pattern
      .split(/([*?])/)
      .map((part) => (part === '*' ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
    compiled.set(key, re);
  }
  return re.test(value);
}

/** Whether a statement's conditions hold for the request; unknown operators make it not apply. */
function conditionsHold(condition: PolicyStatement['Condition'], context: Record<string, string[]>): boolean {
  for (const [rawOperator, keys] of Object.entries(condition ?? {})) {
    const [qualifier, operatorWithIfExists] = rawOperator.includes(':')
      ? (rawOperator.split(':') as [string, string])
      : ['', rawOperator];
    const ifExists = operatorWithIfExists.endsWith('IfExists');
    const operator = operatorWithIfExists.replace(/IfExists$/, '');
    const negated = /Not(Equals|Like)$/.test(operator);
    const like = operator.endsWith('Like');
    if (operator === 'Bool') {
      // `aws:SecureTransport` and the like: the value as the string IAM compares.
      for (const [key, expected] of Object.entries(keys)) {
        const value = context[key]?.[0];
        if (value === undefined) {
          if (!ifExists) return false;
          continue;
        }
        if (!list(expected).some((e) => String(e).toLowerCase() === value)) return false;
      }
      continue;
    }
    if (!/^(String|Arn)(Not)?(Equals|Like)$/.test(operator)) return false;
    for (const [key, expected] of Object.entries(keys)) {
      const values = context[key];
      const matchOne = (value: string) => {
        const hit = list(expected).some((e) =>
          like || operator.startsWith('Arn') ? wildcard(e, value, false) : e === value,
        );
        return negated ? !hit : hit;
      };
      if (qualifier === 'ForAllValues') {
        if (values && !values.every(matchOne)) return false;
      } else if (qualifier === 'ForAnyValue') {
        if (!values?.some(matchOne)) return false;
      } else if (!values?.length) {
        if (!ifExists && !negated) return false;
      } else if (!matchOne(values[0]!)) return false;
    }
  }
  return true;
}

/** Explicit deny wins, then any allow; otherwise the implicit deny. */
export function evaluate(
  statements: PolicyStatement[],
  request: AccessRequest,
): { allowed: boolean; reason: string } {
  const applies = (s: PolicyStatement) => {
    const actionHit = s.NotAction
      ? !list(s.NotAction).some((a) => wildcard(a, request.action, true))
      : list(s.Action).some((a) => wildcard(a, request.action, true));
    if (!actionHit) return false;
    const resourceHit = request.resources.some((resource) =>
      s.NotResource
        ? !list(s.NotResource).some((r) => wildcard(r, resource, false))
        : list(s.Resource).some((r) => wildcard(r, resource, false)),
    );
    return resourceHit && conditionsHold(s.Condition, request.context);
  };
  const deny = statements.find((s) => s.Effect === 'Deny' && applies(s));
  if (deny) return { allowed: false, reason: `explicitly denied by statement ${deny.Sid ?? '(no Sid)'}` };
  if (statements.some((s) => s.Effect === 'Allow' && applies(s))) return { allowed: true, reason: 'allowed' };
  return { allowed: false, reason: 'no identity-based policy allows it' };
}

/** The access key id a request was signed with (header or presigned query), if any. */
export function accessKeyOf(req: http.IncomingMessage): string | undefined {
  const header = /Credential=([^/,\s]+)\//.exec(String(req.headers['authorization'] ?? ''))?.[1];
  if (header) return header;
  const query = new URL(req.url ?? '/', 'http://local').searchParams.get('X-Amz-Credential');
  return query?.split('/')[0];
}

interface ArnParts {
  region: string;
  accountId: string;
  /** The partition key attribute of a table, for `dynamodb:LeadingKeys`. */
  partitionKeyOf(table: string): string | undefined;
}

type AttributeMap = Record<string, Record<string, unknown>>;

/** What a call to a service asks, as IAM sees it: one or more actions on resources, with condition keys. */
export function accessRequests(
  service: string,
  req: http.IncomingMessage,
  body: Buffer,
  arn: ArnParts,
): AccessRequest[] {
  const { region, accountId } = arn;
  const text = body.toString('utf8');
  const form = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
    ? new URLSearchParams(text)
    : undefined;
  const target = String(req.headers['x-amz-target'] ?? '')
    .split('.')
    .pop();
  const json = (): Record<string, unknown> => {
    try {
      return JSON.parse(text || '{}') as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  switch (service) {
    case 'dynamodb': {
      const input = json();
      const table = (name: unknown, index?: unknown) =>
        `arn:aws:dynamodb:${region}:${accountId}:table/${String(name)}${index ? `/index/${String(index)}` : ''}`;
      const leading = (name: unknown, key: AttributeMap | undefined): Record<string, string[]> => {
        const attribute = arn.partitionKeyOf(String(name));
        const value = attribute ? key?.[attribute] : undefined;
        const scalar = value ? Object.values(value)[0] : undefined;
        return scalar === undefined ? {} : { 'dynamodb:LeadingKeys': [String(scalar)] };
      };
      const op = target ?? '';
      if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
        const kinds: Record<string, string> = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
          Get: 'GetItem',
        };
        return ((input['TransactItems'] as Record<string, Record<string, unknown>>[]) ?? []).flatMap((item) =>
          Object.entries(item).map(([kind, p]) => ({
            action: `dynamodb:${kinds[kind] ?? kind}`,
            resources: [table(p['TableName'])],
            context: leading(p['TableName'], (p['Key'] ?? p['Item']) as AttributeMap),
          })),
        );
      }
      if (op === 'BatchGetItem' || op === 'BatchWriteItem') {
        return Object.entries((input['RequestItems'] as Record<string, unknown>) ?? {}).map(([name, p]) => {
          const keys =
            op === 'BatchGetItem'
              ? (((p as { Keys?: AttributeMap[] }).Keys ?? []) as AttributeMap[])
              : ((p as Record<string, AttributeMap>[]).map(
                  (w) => (w['PutRequest']?.['Item'] ?? w['DeleteRequest']?.['Key']) as AttributeMap,
                ) ?? []);
          const values = keys.flatMap((k) => leading(name, k)['dynamodb:LeadingKeys'] ?? []);
          const context: Record<string, string[]> = values.length ? { 'dynamodb:LeadingKeys': values } : {};
          return { action: `dynamodb:${op}`, resources: [table(name)], context };
        });
      }
      if (!input['TableName']) return [{ action: `dynamodb:${op}`, resources: ['*'], context: {} }];
      return [
        {
          action: `dynamodb:${op}`,
          resources: [table(input['TableName'], input['IndexName'])],
          context: leading(input['TableName'], (input['Key'] ?? input['Item']) as AttributeMap),
        },
      ];
    }
    case 'sqs': {
      const input = form ? Object.fromEntries(form) : json();
      const op = (target ?? form?.get('Action') ?? '').replace(/Batch$/, '');
      const url = input['QueueUrl'] as string | undefined;
      const name = url ? url.split('/').pop() : (input['QueueName'] as string | undefined);
      return [
        {
          action: `sqs:${op}`,
          resources: [name ? `arn:aws:sqs:${region}:${accountId}:${name}` : '*'],
          context: {},
        },
      ];
    }
    case 'sns': {
      const op = (form?.get('Action') ?? target ?? '').replace(/^PublishBatch$/, 'Publish');
      const topic = form?.get('TopicArn') ?? form?.get('TargetArn') ?? json()['TopicArn'];
      return [{ action: `sns:${op}`, resources: [topic ? String(topic) : '*'], context: {} }];
    }
    case 'ses': {
      const v2 = (req.url ?? '').startsWith('/v2/email/outbound-emails');
      const op = v2 ? 'SendEmail' : (form?.get('Action') ?? '');
      const from = v2 ? String(json()['FromEmailAddress'] ?? '') : (form?.get('Source') ?? '');
      const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
      const identity = (id: string) => `arn:aws:ses:${region}:${accountId}:identity/${id}`;
      const resources = address
        ? [identity(address), identity(address.split('@').pop()!)]
        : [`arn:aws:ses:${region}:${accountId}:identity/*`];
      return [{ action: `ses:${op}`, resources, context: {} }];
    }
    case 's3': {
      const url = new URL(req.url ?? '/', 'http://local');
      const [bucket, ...rest] = url.pathname.replace(/^\//, '').split('/');
      const key = rest.map(decodeURIComponent).join('/');
      if (!bucket) return [{ action: 's3:ListAllMyBuckets', resources: ['*'], context: {} }];
      const object = `arn:aws:s3:::${bucket}/${key}`;
      const method = req.method ?? 'GET';
      if (!key) {
        const action =
          method === 'GET' ? 's3:ListBucket' : method === 'HEAD' ? 's3:ListBucket' : `s3:${method}Bucket`;
        return [{ action, resources: [`arn:aws:s3:::${bucket}`], context: {} }];
      }
      const action =
        method === 'GET' || method === 'HEAD'
          ? 's3:GetObject'
          : method === 'DELETE'
            ? 's3:DeleteObject'
            : 's3:PutObject';
      return [{ action, resources: [object], context: {} }];
    }
    default:
      return [];
  }
}

/** The answer the real service gives a call its caller may not make. */
function denialAnswer(service: string, res: http.ServerResponse, message: string): void {
  const requestId = createHash('sha1').update(`${Date.now()}${Math.random()}`).digest('hex').slice(0, 32);
  const xml = (namespace: string, code: string) =>
    `<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  switch (service) {
    case 'dynamodb':
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId });
      return void res.end(
        JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message }),
      );
    case 'sqs':
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': requestId,
        'x-amzn-query-error': 'AccessDenied;Sender',
      });
      return void res.end(
        JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message }),
      );
    case 'sns':
      res.writeHead(403, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      return void res.end(xml('https://sns.amazonaws.com/doc/2010-03-31/', 'AuthorizationError'));
    case 'ses':
      res.writeHead(403, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      return void res.end(xml('http://ses.amazonaws.com/doc/2010-12-01/', 'AccessDenied'));
    default:
      res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
      return void res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>${requestId}</RequestId></Error>`,
      );
  }
}

const escapeXml = (s: string) =>
  s.replace(/[<>&"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot' }[c]};`);

/**
 * The local IAM: who each access key is, and a checking proxy per service in front of the emulators.
 * `enforce` answers a denied call as the service does; `warn` logs it (with the statement that would allow
 * it) and lets it through; `off` checks nothing.
 */
export class LocalIam {
  private readonly principals = new Map<string, Principal>();
  /** Resource policies by resource ARN (queue, topic, bucket). */
  private readonly resourcePolicies = new Map<string, ResourceStatement[]>();
  private readonly denied: Denial[] = [];
  private readonly servers: http.Server[] = [];

  constructor(
    readonly mode: IamMode,
    private readonly arn: ArnParts,
    private readonly log: (line: string) => void,
  ) {}

  /** Registers a function's sandbox key and the statements of its role. */
  register(accessKeyId: string, principal: Principal): void {
    this.principals.set(accessKeyId, principal);
  }

  /** A queue, topic or bucket policy, as the templates declare it (several documents add up). */
  addResourcePolicy(resourceArn: string, statements: ResourceStatement[]): void {
    this.resourcePolicies.set(resourceArn, [
      ...(this.resourcePolicies.get(resourceArn) ?? []),
      ...statements,
    ]);
  }

  /** The resource policy statements about `caller` for the resources a request names (an object: its bucket's). */
  private resourceStatements(resources: string[], caller: Caller): ResourceStatement[] {
    return resources
      .flatMap((r) => [
        ...(this.resourcePolicies.get(r) ?? []),
        ...(r.startsWith('arn:aws:s3:::') && r.includes('/')
          ? (this.resourcePolicies.get(r.slice(0, r.indexOf('/'))) ?? [])
          : []),
      ])
      .filter((s) => principalMatches(s, caller, this.arn.accountId));
  }

  /**
   * IAM's decision within one account: an explicit deny in the identity or the resource policy wins; then
   * an allow in either suffices; otherwise the implicit deny. Every call counts as made over TLS (the local
   * cloud stands in for it), so `aws:SecureTransport` is `true`.
   */
  decide(
    identity: PolicyStatement[],
    caller: Caller,
    request: AccessRequest,
  ): { allowed: boolean; reason: string } {
    const withTransport = { ...request, context: { 'aws:SecureTransport': ['true'], ...request.context } };
    const resource = evaluate(this.resourceStatements(request.resources, caller), withTransport);
    if (!resource.allowed && resource.reason.startsWith('explicitly'))
      return { allowed: false, reason: `${resource.reason} of the resource policy` };
    const own = evaluate(identity, withTransport);
    if (own.allowed || own.reason.startsWith('explicitly')) return own;
    if (resource.allowed) return { allowed: true, reason: 'allowed by the resource policy' };
    return own;
  }

  /**
   * Whether an AWS service may act on a resource by its resource policy alone (SNS delivering to a queue:
   * `sqs:SendMessage` for `sns.amazonaws.com` with the topic as `aws:SourceArn`). A denial is recorded and
   * logged like a function's.
   */
  serviceMay(service: string, request: AccessRequest, what: string): boolean {
    if (this.mode === 'off') return true;
    const { allowed, reason } = this.decide([], { service }, request);
    if (allowed) return true;
    this.denied.push({ function: service, action: request.action, resource: request.resources[0]!, reason });
    this.log(
      `${this.mode === 'enforce' ? 'DENIED' : 'would deny'} ${service}: ${request.action} on ` +
        `${request.resources[0]} (${reason}): ${what}`,
    );
    return this.mode !== 'enforce';
  }

  /** Calls denied so far (in `warn` mode: that would have been denied). */
  denials(): Denial[] {
    return [...this.denied];
  }

  /** Checks one call to an emulated service; undefined when it may go on. */
  check(service: string, req: http.IncomingMessage, body: Buffer): Denial | undefined {
    return this.authorize(req, accessRequests(service, req, body, this.arn));
  }

  /**
   * Checks what a call asks (for the APIs the local cloud serves itself: `@connections`, the API Gateway
   * control plane); undefined when it may go on. In `warn` mode a denial is logged and returned, and the
   * caller lets the call through.
   */
  authorize(req: http.IncomingMessage, requests: AccessRequest[]): Denial | undefined {
    if (this.mode === 'off') return undefined;
    const key = accessKeyOf(req);
    const principal = key ? this.principals.get(key) : undefined;
    if (!principal) return undefined;
    for (const request of requests) {
      const { allowed, reason } = this.decide(principal.statements, { roleArn: principal.roleArn }, request);
      if (allowed) continue;
      const denial = {
        function: principal.label,
        action: request.action,
        resource: request.resources[0]!,
        reason,
      };
      this.denied.push(denial);
      this.log(
        `${this.mode === 'enforce' ? 'DENIED' : 'would deny'} ${principal.label}: ${request.action} on ` +
          `${request.resources[0]} (${reason}); to allow it, add to the role's policy: ` +
          JSON.stringify({ Effect: 'Allow', Action: request.action, Resource: request.resources[0] }),
      );
      return denial;
    }
    return undefined;
  }

  /** The message AWS gives with a denial: who may not do what on which resource. */
  deniedMessage(req: http.IncomingMessage, denial: Denial): string {
    const principal = this.principals.get(accessKeyOf(req) ?? '');
    const role = principal?.roleArn.split('/').pop() ?? 'unknown';
    return (
      `User: arn:aws:sts::${this.arn.accountId}:assumed-role/${role}/${denial.function} is not authorized ` +
      `to perform: ${denial.action} on resource: ${denial.resource} because ${denial.reason}`
    );
  }

  /** Whether a denied call is refused (`enforce`) rather than only logged (`warn`). */
  get refuses(): boolean {
    return this.mode === 'enforce';
  }

  /** A checking proxy in front of `target` for `service`; its URL. */
  async proxy(service: string, target: string): Promise<string> {
    if (this.mode === 'off') return target;
    const { server, url } = await startProxy(target, (req, body, res) => {
      const denial = this.check(service, req, body);
      if (!denial || this.mode === 'warn') return false;
      denialAnswer(service, res, this.deniedMessage(req, denial));
      return true;
    });
    this.servers.push(server);
    return url;
  }

  stop(): void {
    for (const server of this.servers) {
      server.closeAllConnections();
      server.close();
    }
  }
}
