// Composition root of the payment port, for the functions that charge and refund (the saga) only.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseConfig, traced } from '@order-platform/lambda-kit';
import { z } from 'zod';
import { SimulatedPaymentGateway } from './adapters/simulated-payment.gateway';
import { StripePaymentGateway } from './adapters/stripe-payment.gateway';
import type { PaymentGateway } from './application/ports';

const payment = parseConfig(
  z
    .object({
      PAYMENT_PROVIDER: z.enum(['simulator', 'stripe']).default('simulator'),
      PAYMENT_SECRET_ARN: z.string().min(1).optional(),
    })
    .refine((c) => c.PAYMENT_PROVIDER !== 'stripe' || c.PAYMENT_SECRET_ARN, {
      message: 'PAYMENT_SECRET_ARN is required with the stripe provider',
      path: ['PAYMENT_SECRET_ARN'],
    }),
);

/** The stage's payment provider: the simulator (local, dev) or Stripe (prod), as the stack configured it. */
export const payments: PaymentGateway =
  payment.PAYMENT_PROVIDER === 'stripe'
    ? new StripePaymentGateway({
        // Read once per sandbox, on the first charge; the key is never logged.
        secretKey: async () => {
          const secrets = traced(new SecretsManagerClient({}));
          const res = await secrets.send(
            new GetSecretValueCommand({ SecretId: payment.PAYMENT_SECRET_ARN! }),
          );
          const value = res.SecretString ?? '';
          const key = value.trim().startsWith('{')
            ? (JSON.parse(value) as { apiKey?: string }).apiKey
            : value;
          if (!key?.startsWith('sk_'))
            throw new Error('The payment secret holds no Stripe secret key (sk_...)');
          return key.trim();
        },
      })
    : new SimulatedPaymentGateway();
