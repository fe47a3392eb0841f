import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Intent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: string;
  metadata: Record<string, string>;
}

/**
 * A local fake of the slice of Stripe's API the gateway uses (PaymentIntents create/retrieve/search,
 * Refunds), with Stripe's idempotency rule: a repeated Idempotency-Key replays the first response.
 * Payment methods: `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined (402 card_error),
 * `pm_card_slow` succeeds but answers after `slowMs` (a client timeout in the middle of a charge).
 */
export async function startFakeStripe(slowMs = 1500) {
  const intents = new Map<string, Intent>();
  const refunds: { id: string; payment_intent: string }[] = [];
  const replies = new Map<string, { status: number; body: unknown }>();
  const requests: { method: string; path: string; idempotencyKey?: string }[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const key = req.headers['idempotency-key'] as string | undefined;
      requests.push({ method: req.method!, path: url.pathname, ...(key ? { idempotencyKey: key } : {}) });
      const reply = (status: number, body: unknown, delay = 0) => {
        if (key && req.method === 'POST') replies.set(key, { status, body });
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++n}` });
          res.end(JSON.stringify(body));
        }, delay);
      };
      if (!String(req.headers['authorization'] ?? '').startsWith('Bearer sk_test_'))
        return reply(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
      const replay = key && req.method === 'POST' ? replies.get(key) : undefined;
      if (replay) {
        res.writeHead(replay.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
        return res.end(JSON.stringify(replay.body));
      }
      if (req.method === 'POST' && url.pathname === '/v1/payment_intents') {
        const method = form.get('payment_method') ?? '';
        const metadata = { orderId: form.get('metadata[orderId]') ?? '' };
        const intent: Intent = {
          id: `pi_${++n}`,
          object: 'payment_intent',
          amount: Number(form.get('amount')),
          currency: form.get('currency') ?? '',
          status: method === 'pm_card_chargeDeclined' ? 'requires_payment_method' : 'succeeded',
          metadata,
        };
        intents.set(intent.id, intent);
        if (method === 'pm_card_chargeDeclined')
          return reply(402, {
            error: {
              type: 'card_error',
              code: 'card_declined',
              decline_code: 'generic_decline',
              message: 'Your card was declined.',
              payment_intent: intent,
            },
          });
        return reply(200, intent, method === 'pm_card_slow' ? slowMs : 0);
      }
      if (req.method === 'GET' && url.pathname === '/v1/payment_intents/search') {
        const orderId = /metadata\['orderId'\]:'([^']*)'/.exec(url.searchParams.get('query') ?? '')?.[1];
        const data = [...intents.values()].filter((i) => i.metadata['orderId'] === orderId);
        return reply(200, {
          object: 'search_result',
          data,
          has_more: false,
          url: '/v1/payment_intents/search',
        });
      }
      const byId = /^\/v1\/payment_intents\/(pi_\d+)$/.exec(url.pathname);
      if (req.method === 'GET' && byId) {
        const intent = intents.get(byId[1]!);
        return intent
          ? reply(200, intent)
          : reply(404, { error: { type: 'invalid_request_error', code: 'resource_missing' } });
      }
      if (req.method === 'POST' && url.pathname === '/v1/refunds') {
        const intentId = form.get('payment_intent') ?? '';
        if (refunds.some((r) => r.payment_intent === intentId))
          return reply(400, {
            error: {
              type: 'invalid_request_error',
              code: 'charge_already_refunded',
              message: 'Charge has already been refunded.',
            },
          });
        const refund = { id: `re_${++n}`, object: 'refund', payment_intent: intentId, status: 'succeeded' };
        refunds.push(refund);
        return reply(200, refund);
      }
      reply(404, {
        error: { type: 'invalid_request_error', message: `No fake for ${req.method} ${url.pathname}` },
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: { host: '127.0.0.1', port: (server.address() as AddressInfo).port, protocol: 'http' as const },
    /** Intents that succeeded: the money actually taken. */
    charges: () => [...intents.values()].filter((i) => i.status === 'succeeded'),
    refunds,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
