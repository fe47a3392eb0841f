import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizerResponse, decideAccess } from '../application/admin-access';
import { CognitoIdTokenVerifier } from './jwt-token-verifier';

// Real RS256 tokens, signed here and checked against a JWKS served on the loopback address.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'test-key';
let server: http.Server;
let issuer: string;
const CLIENT_ID = 'dashboard-client';
const ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc/live/$connect';

const b64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

function sign(payload: Record<string, unknown>, key: KeyObject = privateKey): string {
  const head = `${b64url({ alg: 'RS256', kid, typ: 'JWT' })}.${b64url(payload)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(key).toString('base64url')}`;
}

function idToken(overrides: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return sign({
    sub: 'user-1',
    email: 'admin@example.com',
    'cognito:groups': ['admins'],
    token_use: 'id',
    iss: issuer,
    aud: CLIENT_ID,
    iat: now,
    exp: now + 3600,
    ...overrides,
  });
}

beforeAll(async () => {
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  server = http.createServer((req, res) => {
    res.writeHead(req.url?.endsWith('/.well-known/jwks.json') ? 200 : 404, {
      'Content-Type': 'application/json',
    });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/local_pool`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('the live feed authorizer', () => {
  const decide = (token?: string) => decideAccess(new CognitoIdTokenVerifier(issuer, CLIENT_ID), token);

  it('allows a valid admin ID token, with the user in the context', async () => {
    // Act
    const decision = await decide(idToken());
    const response = authorizerResponse(decision, ARN);
    // Assess
    expect(decision.effect).toBe('Allow');
    expect(response.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: ARN },
    ]);
    expect(response.context).toEqual({
      userId: 'user-1',
      email: 'admin@example.com',
      tokenExpiresAt: expect.stringMatching(/^\d{10}$/),
    });
  });

  it('denies a valid customer token (403)', async () => {
    const decision = await decide(idToken({ 'cognito:groups': ['customers'] }));
    expect(decision.effect).toBe('Deny');
    expect(authorizerResponse(decision, ARN).policyDocument.Statement[0]!.Effect).toBe('Deny');
  });

  it.each([
    ['no token', undefined],
    ['an expired token', () => idToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
    [
      'a tampered token',
      () => idToken().replace(/\.[^.]+\./, `.${b64url({ sub: 'x', 'cognito:groups': ['admins'] })}.`),
    ],
    [
      'a token signed with another key',
      () => sign({ sub: 'x' }, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
    ],
    ['a token for another client', () => idToken({ aud: 'someone-else' })],
    ['an access token', () => idToken({ token_use: 'access' })],
    [
      'a token of another issuer',
      () => idToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/other' }),
    ],
  ])('refuses %s as Unauthorized (401)', async (_, make) => {
    // Act
    const decision = await decide(typeof make === 'function' ? make() : make);
    // Assess
    expect(decision.effect).toBe('Unauthorized');
    expect(() => authorizerResponse(decision, ARN)).toThrow('Unauthorized');
  });
});
