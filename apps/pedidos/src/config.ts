import { configSection } from '@order-platform/lambda-kit';
import * as z from '@order-platform/contracts/zod';

/** The settings of pedidos' functions, one section per concern, each parsed on first use. */
export const tableConfig = configSection(z.object({ TABLE_NAME: z.string().check(z.minLength(1)) }));

export const mailConfig = configSection(z.object({ SENDER_EMAIL: z.email() }));

/** Whether partners' callbacks may go to this machine's loopback: the local stage only. */
export const callbackConfig = configSection(
  z.object({ CALLBACKS_ALLOW_LOOPBACK: z._default(z.enum(['true', 'false']), 'false') }),
);

/** The partner usage plans by plan: `{ "standard": "<plan name>", "trial": "<plan name>" }` (admin routes). */
export const partnerPlansConfig = configSection(
  z.object({
    PARTNER_USAGE_PLANS: z.pipe(
      z.pipe(
        z.string(),
        z.transform((v) => JSON.parse(v) as unknown),
      ),
      z.object({ standard: z.string().check(z.minLength(1)), trial: z.string().check(z.minLength(1)) }),
    ),
  }),
);

/** The stage's payment provider; Stripe needs the secret holding its key. */
export const paymentConfig = configSection(
  z
    .object({
      PAYMENT_PROVIDER: z._default(z.enum(['simulator', 'stripe']), 'simulator'),
      PAYMENT_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
    })
    .check(
      z.refine((c) => c.PAYMENT_PROVIDER !== 'stripe' || c.PAYMENT_SECRET_ARN, {
        message: 'PAYMENT_SECRET_ARN is required with the stripe provider',
        path: ['PAYMENT_SECRET_ARN'],
      }),
    ),
);

/**
 * The legacy channel (seed 004): which table's changes become orders (`erp.pedidos` by default), and for
 * the write-back the secret with the database's address and credentials (RDS's shape: host, port,
 * username, password, dbname) and whether the connection must use TLS (`rds`: Amazon RDS's CA; `off`
 * only locally, where MariaDB listens on loopback).
 */
export const legacyIntakeConfig = configSection(
  z.object({
    LEGACY_SCHEMA: z._default(z.string().check(z.minLength(1)), 'erp'),
    LEGACY_TABLE: z._default(z.string().check(z.minLength(1)), 'pedidos'),
  }),
);
export const legacyDatabaseConfig = configSection(
  z.object({
    LEGACY_DB_SECRET_ARN: z.string().check(z.minLength(1)),
    LEGACY_DB_TLS: z._default(z.enum(['rds', 'off']), 'rds'),
    LEGACY_TABLE: z._default(z.string().check(z.minLength(1)), 'pedidos'),
  }),
);
