import { createHmac } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { PartnerCallbacks } from '../application/ports';

export class CallbackRefusedError extends Error {
  constructor(url: string, detail: string) {
    super(`Callback to ${new URL(url).origin} not taken: ${detail}`);
    this.name = 'CallbackRefusedError';
  }
}

/**
 * Signs `<timestamp>.<body>` with HMAC-SHA256 and the partner's secret, as
 * `X-Order-Platform-Signature: t=<unix seconds>,v1=<hex>`; the delivery id goes in
 * `X-Order-Platform-Delivery`.
 */
export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Addresses a callback may never reach: private, loopback, link-local, unique-local, CGNAT, multicast... */
const internal = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  internal.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  internal.addSubnet(prefix, bits, 'ipv6');
const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Whether a callback may connect to `address`; loopback only where the stage allows it (the local cloud). */
export function mayConnect(address: string, allowLoopback: boolean): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = net.isIPv4(ip) ? 'ipv4' : 'ipv6';
  if (allowLoopback && loopback.check(ip, family)) return true;
  return !internal.check(ip, family);
}

/**
 * Posts partner callbacks over HTTPS (HTTP to loopback where allowed), with a 5-second limit; anything but
 * a 2xx is a refusal. The host is resolved at send time and the connection goes to the address that was
 * checked, so a partner's DNS cannot point a callback at the platform's own network.
 */
export class HttpPartnerCallbacks implements PartnerCallbacks {
  private readonly allowLoopback: boolean;
  private readonly now: () => Date;

  constructor(options: { allowLoopback?: boolean; now?: () => Date } = {}) {
    this.allowLoopback = options.allowLoopback ?? false;
    this.now = options.now ?? (() => new Date());
  }

  async deliver(url: string, secret: string, deliveryId: string, body: unknown): Promise<void> {
    const target = new URL(url);
    if (target.protocol !== 'https:' && !(this.allowLoopback && target.protocol === 'http:'))
      throw new CallbackRefusedError(url, 'only https callbacks are sent');
    const text = JSON.stringify(body);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const allowLoopback = this.allowLoopback;
    // An address written in the URL is never looked up: it is checked here.
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(literal) && !mayConnect(literal, allowLoopback))
      throw new CallbackRefusedError(url, `address ${literal} is not reachable for callbacks`);
    // Every address the name resolves to is checked; the socket connects to the one returned here.
    const lookup: net.LookupFunction = (hostname, options, done) => {
      dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return done(error, '', 4);
        const list = addresses as dns.LookupAddress[];
        const refused = list.find((a) => !mayConnect(a.address, allowLoopback));
        if (refused || !list.length)
          return done(
            new Error(`address ${refused?.address ?? 'none'} is not reachable for callbacks`),
            '',
            4,
          );
        if ((options as { all?: boolean }).all)
          return (done as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        done(null, list[0]!.address, list[0]!.family);
      });
    };
    const client = target.protocol === 'https:' ? https : http;
    const status = await new Promise<number>((resolve, reject) => {
      const req = client.request(
        target,
        {
          method: 'POST',
          lookup,
          timeout: 5000,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(text),
            'User-Agent': 'order-platform-callbacks/1',
            'X-Order-Platform-Delivery': deliveryId,
            'X-Order-Platform-Signature': signature(secret, timestamp, text),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', reject);
      req.end(text);
    }).catch((error: Error) => {
      throw new CallbackRefusedError(url, error.message);
    });
    if (status < 200 || status >= 300) throw new CallbackRefusedError(url, `HTTP ${status}`);
  }
}
