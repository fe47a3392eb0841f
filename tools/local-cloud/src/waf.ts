import type { Provisioner } from './provision';

/** What a blocking rule answers: its custom response, as WAF sends it. */
export interface WafResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface RateRule {
  name: string;
  limit: number;
  windowMs: number;
  /** The aggregation key: a request header (a request without it is not counted) or the client address. */
  key: { header: string } | 'ip';
  response: WafResponse;
  /** Request times per key inside the window. */
  seen: Map<string, number[]>;
}

interface CustomResponse {
  ResponseCode: number;
  CustomResponseBodyKey?: string;
  ResponseHeaders?: { Name: string; Value: string }[];
}

const CONTENT_TYPES: Record<string, string> = {
  APPLICATION_JSON: 'application/json',
  TEXT_PLAIN: 'text/plain',
  TEXT_HTML: 'text/html',
};

/**
 * AWS WAF web ACLs in front of the REST API stages they are associated with, for the rules the templates use:
 * rate-based statements aggregated by IP or by a header (custom keys), blocking with their custom response.
 * Every request counts in a sliding window; past the limit the caller is blocked until its rate falls below it.
 * Other statement types are reported as not emulated, so nothing is silently skipped.
 */
export class WebAcls {
  private readonly byApi = new Map<string, RateRule[]>();
  readonly notEmulated: string[] = [];

  constructor(p: Provisioner) {
    const acls = new Map(p.byType('AWS::WAFv2::WebACL').map((a) => [a.attrs['Arn'], a]));
    for (const association of p.byType('AWS::WAFv2::WebACLAssociation')) {
      const acl = acls.get(association.properties['WebACLArn'] as string);
      const target = /:apigateway:[^:]*::\/restapis\/([^/]+)\/stages\//.exec(
        String(association.properties['ResourceArn']),
      );
      if (!acl || !target) {
        this.notEmulated.push(`${association.stack}/${association.logicalId}`);
        continue;
      }
      const bodies = (acl.properties['CustomResponseBodies'] ?? {}) as Record<
        string,
        { ContentType: string; Content: string }
      >;
      const rules: RateRule[] = [];
      for (const rule of (acl.properties['Rules'] ?? []) as Record<string, never>[]) {
        const statement = (rule['Statement'] as Record<string, unknown>)['RateBasedStatement'] as
          | {
              Limit: number;
              EvaluationWindowSec?: number;
              AggregateKeyType: string;
              CustomKeys?: { Header?: { Name: string } }[];
            }
          | undefined;
        const block = (rule['Action'] as { Block?: { CustomResponse?: CustomResponse } } | undefined)?.Block;
        const header = statement?.CustomKeys?.[0]?.Header?.Name;
        const key =
          statement?.AggregateKeyType === 'IP' ? 'ip' : header ? { header: header.toLowerCase() } : undefined;
        if (!statement || !block || !key || (statement.CustomKeys?.length ?? 0) > 1) {
          this.notEmulated.push(`${acl.stack}/${acl.logicalId} rule ${String(rule['Name'])}`);
          continue;
        }
        const custom = block.CustomResponse;
        const body = custom?.CustomResponseBodyKey ? bodies[custom.CustomResponseBodyKey] : undefined;
        rules.push({
          name: String(rule['Name']),
          limit: Number(statement.Limit),
          windowMs: Number(statement.EvaluationWindowSec ?? 300) * 1000,
          key,
          response: {
            status: custom?.ResponseCode ?? 403,
            headers: {
              'Content-Type': body ? (CONTENT_TYPES[body.ContentType] ?? 'text/plain') : 'text/html',
              ...Object.fromEntries((custom?.ResponseHeaders ?? []).map((h) => [h.Name, h.Value])),
            },
            body: body?.Content ?? '<html><body>Forbidden</body></html>',
          },
          seen: new Map(),
        });
      }
      this.byApi.set(target[1]!, rules);
    }
  }

  /** Counts the request against the API's rules; the response of the first rule it exceeds, if any. */
  check(
    apiId: string,
    request: { headers: Record<string, string | string[] | undefined>; address: string },
    now = Date.now(),
  ): WafResponse | undefined {
    for (const rule of this.byApi.get(apiId) ?? []) {
      const raw = rule.key === 'ip' ? request.address : request.headers[rule.key.header];
      const key = Array.isArray(raw) ? raw.join(',') : raw;
      if (!key) continue;
      const times = (rule.seen.get(key) ?? []).filter((t) => t > now - rule.windowMs);
      times.push(now);
      rule.seen.set(key, times);
      // A client can send any number of distinct keys: callers idle for a whole window are forgotten.
      if (rule.seen.size > 10_000)
        for (const [k, ts] of rule.seen) if (ts.at(-1)! <= now - rule.windowMs) rule.seen.delete(k);
      if (times.length > rule.limit) return rule.response;
    }
    return undefined;
  }
}
