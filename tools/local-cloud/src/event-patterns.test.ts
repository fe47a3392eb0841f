import { InvalidEventPatternError, matchesEventPattern, validateEventPattern } from './event-patterns';

// The examples of the EventBridge user guide ("Amazon EventBridge event patterns", "Content filtering").
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    FileName: 'photo.PNG',
    responseElements: null,
    tags: ['blue', 'prod'],
    requestParameters: { filters: [{ name: 'a' }, { name: 'b' }] },
  },
};

describe('event patterns (EventBridge)', () => {
  it.each([
    ['exact value', { source: ['aws.ec2'] }, true],
    ['exact value, another', { source: ['aws.s3'] }, false],
    ['any of a list', { detail: { state: ['running', 'terminated'] } }, true],
    ['nested fields all hold', { source: ['aws.ec2'], detail: { state: ['pending'] } }, false],
    ['null', { detail: { responseElements: [null] } }, true],
    ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
    ['prefix ignoring case', { 'detail-type': [{ prefix: { 'equals-ignore-case': 'ec2 INSTANCE' } }] }, true],
    ['suffix', { detail: { FileName: [{ suffix: '.png' }] } }, false],
    ['suffix ignoring case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, true],
    [
      'equals-ignore-case',
      { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
      true,
    ],
    ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:us-west-1:*:instance/*' }] }, true],
    ['wildcard, no match', { resources: [{ wildcard: 'arn:aws:s3:*' }] }, false],
    ['anything-but a value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    ['anything-but a list', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, false],
    ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, false],
    ['anything-but a suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, true],
    [
      'anything-but ignoring case',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'TERMINATED'] } }] } },
      false,
    ],
    ['anything-but a wildcard', { detail: { FileName: [{ 'anything-but': { wildcard: '*.PNG' } }] } }, false],
    [
      'numeric ranges',
      {
        detail: {
          'c-count': [{ numeric: ['>', 0, '<=', 5] }],
          'd-count': [{ numeric: ['<', 10] }],
          'x-limit': [{ numeric: ['=', 3.018e2] }],
        },
      },
      true,
    ],
    ['numeric out of range', { detail: { 'c-count': [{ numeric: ['>', 5] }] } }, false],
    ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
    ['cidr, outside', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
    ['exists', { detail: { state: [{ exists: true }] } }, true],
    ['exists false on a missing field', { detail: { 'e-count': [{ exists: false }] } }, true],
    ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
    ['a field holding an array: any element', { detail: { tags: ['prod'] } }, true],
    [
      'nested pattern in an array of objects',
      { detail: { requestParameters: { filters: { name: ['b'] } } } },
      true,
    ],
    [
      '$or',
      { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } },
      true,
    ],
    [
      '$or, neither',
      { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { state: ['running'] }] } },
      false,
    ],
    [
      '$or at the top',
      { $or: [{ source: ['aws.s3'] }, { 'detail-type': [{ prefix: 'EC2' }] }], region: ['us-west-1'] },
      true,
    ],
    ['a missing field', { detail: { nope: ['x'] } }, false],
  ])('%s', (_name, pattern, expected) => {
    validateEventPattern(pattern);
    expect(matchesEventPattern(pattern, ec2Event)).toBe(expected);
  });

  it('refuses a pattern it cannot read, as PutRule does', () => {
    for (const bad of [
      { source: 'aws.ec2' },
      { source: [{ bogus: 1 }] },
      { detail: { n: [{ numeric: ['>>', 1] }] } },
      { detail: { ip: [{ cidr: '10.0.0.0/40' }] } },
      { $or: [{ source: ['a'] }] },
    ])
      expect(() => validateEventPattern(bad)).toThrow(InvalidEventPatternError);
  });
});
