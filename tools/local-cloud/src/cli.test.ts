import { DEFAULT_CHAOS } from './chaos';
import { CliUsageError, parseCliArgs } from './cli';

describe('the command line', () => {
  it('starts with the documented defaults', () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      quiet: false,
      persist: false,
      apiPort: 3000,
      webSocketPort: 3001,
      sitePort: 3002,
      waf: 'enforce',
      iam: 'enforce',
      xray: 'on',
      inspect: undefined,
      chaos: undefined,
      cdkOut: undefined,
    });
  });

  it('takes every option the README names', () => {
    expect(
      parseCliArgs([
        '--quiet',
        '--persist',
        '--api-port',
        '0',
        '--ws-port=4001',
        '--waf',
        'off',
        '--iam',
        'warn',
        '--xray',
        'off',
        '--inspect',
        'PlaceOrder',
        '--chaos',
        'default',
        '--cdk-out',
        'cdk.out',
      ]),
    ).toMatchObject({
      quiet: true,
      persist: true,
      apiPort: 0,
      webSocketPort: 4001,
      waf: 'off',
      iam: 'warn',
      xray: 'off',
      inspect: 'PlaceOrder',
      chaos: DEFAULT_CHAOS,
      cdkOut: 'cdk.out',
    });
    expect(parseCliArgs(['-h']).help).toBe(true);
    expect(parseCliArgs(['--help']).help).toBe(true);
  });

  it('refuses a misspelt option, a missing value or a value out of range instead of starting anyway', () => {
    const refusal = (argv: string[]) => {
      try {
        parseCliArgs(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(CliUsageError);
        return (error as Error).message;
      }
      throw new Error(`${argv.join(' ')} was accepted`);
    };
    expect(refusal(['--persit'])).toMatch(/--persit/);
    expect(refusal(['--chaos'])).toMatch(/--chaos/);
    expect(refusal(['--api-port', 'abc'])).toMatch(/--api-port takes a port from 0 to 65535, not "abc"/);
    expect(refusal(['--api-port', '70000'])).toMatch(/not "70000"/);
    expect(refusal(['--iam', 'strict'])).toMatch(/--iam takes enforce or warn or off, not "strict"/);
    expect(refusal(['start'])).toMatch(/start/);
  });
});
