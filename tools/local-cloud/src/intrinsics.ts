/**
 * Resolves the CloudFormation intrinsic functions the synthesized templates use: Ref, Fn::GetAtt, Fn::Join,
 * Fn::Sub, Fn::Select, Fn::Split, Fn::If (with Conditions, Fn::Equals/And/Or/Not), Fn::ImportValue is
 * refused (the platform uses SSM, never exports), and the pseudo parameters.
 */
export interface ResolveContext {
  region: string;
  accountId: string;
  stackName: string;
  parameters: Record<string, unknown>;
  conditions: Record<string, unknown>;
  /** Ref of a resource (its physical id). Throws NotReadyError when the resource is not created yet. */
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
}

export class NotReadyError extends Error {
  constructor(readonly logicalId: string) {
    super(`${logicalId} is not created yet`);
    this.name = 'NotReadyError';
  }
}

export class UnsupportedIntrinsicError extends Error {
  constructor(name: string) {
    super(`Unsupported intrinsic ${name}`);
    this.name = 'UnsupportedIntrinsicError';
  }
}

const NO_VALUE = Symbol('AWS::NoValue');

function pseudo(name: string, ctx: ResolveContext): unknown {
  switch (name) {
    case 'AWS::Region':
      return ctx.region;
    case 'AWS::AccountId':
      return ctx.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return ctx.stackName;
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${ctx.stackName}/local`;
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

export function evaluateCondition(name: string, ctx: ResolveContext): boolean {
  return Boolean(resolve(ctx.conditions[name], ctx));
}

/** Resolves every intrinsic in `value`, recursively. */
export function resolve(value: unknown, ctx: ResolveContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, ctx)).filter((v) => v !== NO_VALUE);
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const arg = obj[fn];
    switch (fn) {
      case 'Ref': {
        const name = arg as string;
        const p = pseudo(name, ctx);
        if (p !== undefined) return p;
        if (name in ctx.parameters) return ctx.parameters[name];
        return ctx.ref(name);
      }
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as string[]) : (arg as string).split(/\.(.+)/);
        return ctx.getAtt(id!, attr!);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        return (resolve(parts, ctx) as unknown[]).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (resolve(list, ctx) as unknown[])[Number(resolve(index, ctx))];
      }
      case 'Fn::Split': {
        const [sep, text] = arg as [string, unknown];
        return String(resolve(text, ctx)).split(sep);
      }
      case 'Fn::Sub': {
        const [template, vars] = Array.isArray(arg)
          ? (arg as [string, Record<string, unknown>])
          : [arg as string, {}];
        const resolvedVars = resolve(vars, ctx) as Record<string, unknown>;
        return template.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
          if (name in resolvedVars) return String(resolvedVars[name]);
          if (name.includes('.')) {
            const [id, attr] = name.split(/\.(.+)/) as [string, string];
            return String(ctx.getAtt(id, attr));
          }
          return String(resolve({ Ref: name }, ctx));
        });
      }
      case 'Fn::If': {
        const [cond, yes, no] = arg as [string, unknown, unknown];
        return resolve(evaluateCondition(cond, ctx) ? yes : no, ctx);
      }
      case 'Fn::Equals': {
        const [a, b] = resolve(arg, ctx) as [unknown, unknown];
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::And':
        return (arg as unknown[]).every((c) => Boolean(resolve(c, ctx)));
      case 'Fn::Or':
        return (arg as unknown[]).some((c) => Boolean(resolve(c, ctx)));
      case 'Fn::Not':
        return !resolve((arg as unknown[])[0], ctx);
      case 'Condition':
        return evaluateCondition(arg as string, ctx);
      case 'Fn::Base64':
        return Buffer.from(String(resolve(arg, ctx))).toString('base64');
      case 'Fn::GetAZs':
        return [`${ctx.region}a`, `${ctx.region}b`];
      case 'Fn::ImportValue':
        throw new UnsupportedIntrinsicError(fn);
      default:
        break;
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const r = resolve(v, ctx);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

/** Logical ids a value refers to (Ref, GetAtt, Sub): the edges of the creation order. */
export function references(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => references(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) into.add(v);
      else if (k === 'Fn::GetAtt') into.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]!);
      else if (k === 'Fn::Sub') {
        const template = Array.isArray(v) ? String(v[0]) : String(v);
        for (const m of template.matchAll(/\$\{([^}!.]+)[^}]*\}/g))
          if (!m[1]!.startsWith('AWS::')) into.add(m[1]!);
        if (Array.isArray(v)) references(v[1], into);
      } else references(v, into);
    }
  }
  return into;
}
