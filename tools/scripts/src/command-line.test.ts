import { parseCommandLine, usage, UsageError } from './command-line';

const OPTIONS = {
  orders: { type: 'integer', default: 1000, min: 1, describe: 'orders to place' },
  rate: { type: 'number', default: 10, min: 0.1, describe: 'orders per second' },
  stage: { type: 'string', default: 'local', oneOf: ['local', 'dev', 'prod'], describe: 'the stage' },
  order: { type: 'string', describe: 'one order only' },
  'dry-run': { type: 'boolean', describe: 'change nothing' },
} as const;

describe('parseCommandLine', () => {
  it('gives the defaults for an empty command line', () => {
    expect(parseCommandLine([], OPTIONS)).toEqual({
      help: false,
      orders: 1000,
      rate: 10,
      stage: 'local',
      order: undefined,
      'dry-run': false,
    });
  });

  it('reads each option as its type', () => {
    expect(
      parseCommandLine(
        ['--orders', '50', '--rate=2.5', '--stage', 'dev', '--order', 'o-1', '--dry-run'],
        OPTIONS,
      ),
    ).toEqual({ help: false, orders: 50, rate: 2.5, stage: 'dev', order: 'o-1', 'dry-run': true });
    expect(parseCommandLine(['-h'], OPTIONS).help).toBe(true);
  });

  it.each([
    [['--orders', 'abc'], '--orders takes a whole number of at least 1, not "abc"'],
    [['--orders', '2.5'], '--orders takes a whole number of at least 1, not "2.5"'],
    [['--orders', '0'], '--orders takes a whole number of at least 1, not "0"'],
    [['--rate=-1'], '--rate takes a number of at least 0.1, not "-1"'],
    [['--rate', '0'], '--rate takes a number of at least 0.1, not "0"'],
    [['--stage', 'qa'], '--stage takes local, dev, prod, not "qa"'],
    [['--ordrs', '5'], "Unknown option '--ordrs'"],
    [['500'], 'Unexpected argument'],
    [['--orders'], "Option '--orders <value>' argument missing"],
  ])('refuses %j, naming what is wrong', (argv, message) => {
    expect(() => parseCommandLine(argv, OPTIONS)).toThrow(UsageError);
    expect(() => parseCommandLine(argv, OPTIONS)).toThrow(message);
  });
});

it('lists every option with its default, and help', () => {
  expect(usage(OPTIONS).split('\n')).toEqual([
    'Options:',
    '  --orders N              orders to place (1000)',
    '  --rate N                orders per second (10)',
    '  --stage <text>          the stage (local)',
    '  --order <text>          one order only',
    '  --dry-run               change nothing',
    '  -h, --help              show this',
  ]);
});
