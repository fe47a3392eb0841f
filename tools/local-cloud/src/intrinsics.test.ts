import { commonPrefix } from './local-cloud';
import { NotReadyError, references, resolve, type ResolveContext } from './intrinsics';

const ctx: ResolveContext = {
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: 'S',
  parameters: { Stage: 'local' },
  conditions: { IsLocal: { 'Fn::Equals': [{ Ref: 'Stage' }, 'local'] } },
  ref: (id) => {
    if (id === 'Later') throw new NotReadyError(id);
    return `phys-${id}`;
  },
  getAtt: (id, attr) => `${id}.${attr}`,
};

describe('resolve', () => {
  it('resolves Ref, GetAtt, Join, Sub, Select, Split, If and pseudo parameters', () => {
    // Prepare
    const template = {
      a: { Ref: 'Table' },
      b: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      c: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x:', { Ref: 'AWS::Region' }]] },
      d: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}/${Fn.Arn}' },
      e: { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] },
      f: { 'Fn::If': ['IsLocal', 'yes', 'no'] },
      g: [{ 'Fn::If': ['IsLocal', { Ref: 'AWS::NoValue' }, 'kept'] }, 'x'],
    };
    // Act
    const out = resolve(template, ctx);
    // Assess
    expect(out).toEqual({
      a: 'phys-Table',
      b: 'Queue.Arn',
      c: 'arn:aws:x:us-east-1',
      d: 'https://phys-Api.execute-api.us-east-1.amazonaws.com/local/Fn.Arn',
      e: 'b',
      f: 'yes',
      g: ['x'],
    });
  });

  it('reports a reference to a resource not created yet', () => {
    expect(() => resolve({ Ref: 'Later' }, ctx)).toThrow(NotReadyError);
  });

  it('lists the logical ids a value depends on', () => {
    expect([
      ...references({
        x: [{ Ref: 'A' }, { 'Fn::GetAtt': ['B', 'Arn'] }, { 'Fn::Sub': '${C}-${AWS::Region}' }],
      }),
    ]).toEqual(['A', 'B', 'C']);
  });
});

describe('commonPrefix (short stack names in logs)', () => {
  it('takes what every stack name shares up to its last dash, and nothing for one stack', () => {
    expect(commonPrefix(['App-dev-Orders', 'App-dev-Billing', 'App-dev-Platform'])).toBe('App-dev-');
    expect(commonPrefix(['Shop-Api', 'Shop-Apps'])).toBe('Shop-');
    expect(commonPrefix(['Alone'])).toBe('');
    expect(commonPrefix(['A-x', 'B-y'])).toBe('');
  });
});
