// Composition root of pedidos: the one place that wires SDK clients and adapters to the ports. Everything
// is built on first use, once per sandbox, so each function builds only what it uses (the saga alone reads
// the payment secret; the admin routes alone reach API Gateway).
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { documentClient, outboxPublishing, retryWithBackoff, SesMailer } from '@order-platform/aws-adapters';
import { lazy, traced } from '@order-platform/lambda-kit';
import { ApiGatewayPartnerKeys } from './adapters/apigateway-partner.keys';
import { DynamoDbOrderRepository } from './adapters/dynamodb-order.repository';
import { DynamoDbPartnerRegistry } from './adapters/dynamodb-partner.registry';
import { HttpPartnerCallbacks } from './adapters/http-partner.callbacks';
import { MysqlLegacyStatusWriter, secretConnection } from './adapters/mysql-legacy-status.writer';
import { secretsManagerStripeKey } from './adapters/secrets-manager-stripe.key';
import { SimulatedPaymentGateway } from './adapters/simulated-payment.gateway';
import { StripePaymentGateway } from './adapters/stripe-payment.gateway';
import type { PaymentGateway } from './application/ports';
import {
  callbackConfig,
  legacyDatabaseConfig,
  mailConfig,
  partnerPlansConfig,
  paymentConfig,
  tableConfig,
} from './config';

const db = /* @__PURE__ */ lazy(() => documentClient(traced(new DynamoDBClient({}))));
const table = () => tableConfig().TABLE_NAME;

export const orders = /* @__PURE__ */ lazy(() => new DynamoDbOrderRepository(db(), table()));
export const partners = /* @__PURE__ */ lazy(() => new DynamoDbPartnerRegistry(db(), table()));
export const clock = { now: () => new Date(), newId: () => globalThis.crypto.randomUUID() };

/** Whether partner callbacks may go to loopback over plain HTTP (the local stage only). */
export const allowLoopbackCallbacks = () => callbackConfig().CALLBACKS_ALLOW_LOOPBACK === 'true';
export const callbacks = /* @__PURE__ */ lazy(
  () => new HttpPartnerCallbacks({ allowLoopback: allowLoopbackCallbacks() }),
);

/** The key manager, for the admin routes only (they alone have the usage plans and the rights). */
export const partnerKeys = /* @__PURE__ */ lazy(
  () => new ApiGatewayPartnerKeys(traced(new APIGatewayClient({})), partnerPlansConfig().PARTNER_USAGE_PLANS),
);

// A short SES timeout: a call that hangs must fail its record (and retry), not the whole batch.
export const mailer = /* @__PURE__ */ lazy(
  () =>
    new SesMailer(
      traced(new SESClient({ requestHandler: { requestTimeout: 5000, connectionTimeout: 2000 } })),
      db(),
      table(),
      mailConfig().SENDER_EMAIL,
    ),
);

/** The stage's payment provider: the simulator (local, dev) or Stripe (prod), as the stack configured it. */
export const payments = /* @__PURE__ */ lazy((): PaymentGateway => {
  const { PAYMENT_PROVIDER, PAYMENT_SECRET_ARN } = paymentConfig();
  if (PAYMENT_PROVIDER !== 'stripe') return new SimulatedPaymentGateway();
  // Read once per sandbox, on the first charge; the key is never logged.
  return new StripePaymentGateway({
    secretKey: secretsManagerStripeKey(traced(new SecretsManagerClient({})), PAYMENT_SECRET_ARN!),
  });
});

/** The legacy database, for the write-back of outcomes only (its secret names host and credentials). */
export const legacyDatabase = /* @__PURE__ */ lazy(() => {
  const { LEGACY_DB_SECRET_ARN, LEGACY_DB_TLS, LEGACY_TABLE } = legacyDatabaseConfig();
  return new MysqlLegacyStatusWriter(
    secretConnection(traced(new SecretsManagerClient({})), LEGACY_DB_SECRET_ARN, LEGACY_DB_TLS),
    LEGACY_TABLE,
  );
});

/** The inbox consumers' retry with backoff (partner callbacks back off from 5 s); the outbox publisher's wiring. */
export const retrySoon = /* @__PURE__ */ retryWithBackoff();
export const retryCallbacks = /* @__PURE__ */ retryWithBackoff({ baseSeconds: 5 });
export const outbox = /* @__PURE__ */ lazy(outboxPublishing);
