import { createHmac } from 'node:crypto';
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

/** Posts partner callbacks over HTTP(S), with a 5-second limit; anything but a 2xx is a refusal. */
export class HttpPartnerCallbacks implements PartnerCallbacks {
  constructor(private readonly now: () => Date = () => new Date()) {}

  async deliver(url: string, secret: string, deliveryId: string, body: unknown): Promise<void> {
    const text = JSON.stringify(body);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'order-platform-callbacks/1',
          'X-Order-Platform-Delivery': deliveryId,
          'X-Order-Platform-Signature': signature(secret, timestamp, text),
        },
        body: text,
        redirect: 'manual',
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      throw new CallbackRefusedError(url, (error as Error).message);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new CallbackRefusedError(url, `HTTP ${res.status}`);
  }
}
