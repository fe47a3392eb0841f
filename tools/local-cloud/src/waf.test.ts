import type { Provisioner } from './provision';
import { WebAcls } from './waf';

const resource = (type: string, logicalId: string, properties: Record<string, unknown>, attrs = {}) => ({
  type,
  stack: 'S',
  logicalId,
  ref: logicalId,
  properties,
  attrs,
});

/** A web ACL as ServiceApi declares it, associated with the stage of the API `api1`. */
function provisioner(rules: unknown[]): Provisioner {
  const all = [
    resource(
      'AWS::WAFv2::WebACL',
      'Acl',
      {
        CustomResponseBodies: { slow: { ContentType: 'APPLICATION_JSON', Content: '{"status":429}' } },
        Rules: rules,
      },
      { Arn: 'arn:acl' },
    ),
    resource('AWS::WAFv2::WebACLAssociation', 'Assoc', {
      WebACLArn: 'arn:acl',
      ResourceArn: 'arn:aws:apigateway:us-east-1::/restapis/api1/stages/api',
    }),
  ];
  return { byType: (type: string) => all.filter((r) => r.type === type) } as unknown as Provisioner;
}

const rateRule = (name: string, limit: number, key: Record<string, unknown>) => ({
  Name: name,
  Action: {
    Block: {
      CustomResponse: {
        ResponseCode: 429,
        CustomResponseBodyKey: 'slow',
        ResponseHeaders: [{ Name: 'Retry-After', Value: '60' }],
      },
    },
  },
  Statement: { RateBasedStatement: { Limit: limit, EvaluationWindowSec: 60, ...key } },
});
const perCaller = rateRule('per-caller', 3, {
  AggregateKeyType: 'CUSTOM_KEYS',
  CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [] } }],
});
const perAddress = rateRule('per-address', 5, { AggregateKeyType: 'IP' });

describe('WAF rate-based rules, as the local REST gateway applies them', () => {
  it('blocks a caller past its limit with the custom response, and leaves the other callers alone', () => {
    // Prepare
    const acls = new WebAcls(provisioner([perCaller]));
    const from = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, address: '127.0.0.1' });
    // Act
    const first = [1, 2, 3].map(() => acls.check('api1', from('a'), 1000));
    const fourth = acls.check('api1', from('a'), 1001);
    const other = acls.check('api1', from('b'), 1002);
    // Assess
    expect(first).toEqual([undefined, undefined, undefined]);
    expect(fourth).toEqual({
      status: 429,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '60' },
      body: '{"status":429}',
    });
    expect(other).toBeUndefined();
  });

  it('lets the caller in again once its rate over the window falls below the limit', () => {
    const acls = new WebAcls(provisioner([perCaller]));
    const a = { headers: { authorization: 'a' }, address: '127.0.0.1' };
    for (let i = 0; i < 4; i++) acls.check('api1', a, 1000);
    expect(acls.check('api1', a, 30_000)).toBeDefined();
    expect(acls.check('api1', a, 61_001)).toBeUndefined();
  });

  it('counts a request without the header only by its address, and only on the associated API', () => {
    const acls = new WebAcls(provisioner([perCaller, perAddress]));
    const anonymous = { headers: {}, address: '10.0.0.9' };
    const answers = Array.from({ length: 6 }, () => acls.check('api1', anonymous, 5000));
    expect(answers.slice(0, 5).every((a) => a === undefined)).toBe(true);
    expect(answers[5]?.status).toBe(429);
    expect(acls.check('other-api', anonymous, 5000)).toBeUndefined();
  });

  it('names the statements it does not emulate instead of skipping them silently', () => {
    const acls = new WebAcls(
      provisioner([
        { Name: 'geo', Action: { Block: {} }, Statement: { GeoMatchStatement: { CountryCodes: ['XX'] } } },
      ]),
    );
    expect(acls.notEmulated).toEqual(['S/Acl rule geo']);
  });

  it('forgets callers idle for a whole window, so random keys cannot grow it without bound', () => {
    const acls = new WebAcls(provisioner([perCaller]));
    for (let i = 0; i < 10_001; i++)
      acls.check('api1', { headers: { authorization: `t${i}` }, address: 'a' }, 1000);
    acls.check('api1', { headers: { authorization: 'late' }, address: 'a' }, 120_000);
    const seen = (acls as unknown as { byApi: Map<string, { seen: Map<string, number[]> }[]> }).byApi.get(
      'api1',
    )![0]!.seen;
    expect(seen.size).toBe(1);
  });
});
