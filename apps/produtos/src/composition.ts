// Composition root of produtos: the one place that wires SDK clients and adapters to the ports. Everything
// is built on first use, once per sandbox, so each function builds only what it uses.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient, outboxPublishing, retryWithBackoff } from '@order-platform/aws-adapters';
import { lazy, traced } from '@order-platform/lambda-kit';
import { DynamoDbCatalogWriter } from './adapters/dynamodb-catalog.writer';
import { DynamoDbProductRepository } from './adapters/dynamodb-product.repository';
import { DynamoDbStockLedger } from './adapters/dynamodb-stock.ledger';
import { tableConfig } from './config';

const db = /* @__PURE__ */ lazy(() => documentClient(traced(new DynamoDBClient({}))));
const table = () => tableConfig().TABLE_NAME;

export const products = /* @__PURE__ */ lazy(() => new DynamoDbProductRepository(db(), table()));
export const catalog = /* @__PURE__ */ lazy(() => new DynamoDbCatalogWriter(db(), table()));
export const ledger = /* @__PURE__ */ lazy(() => new DynamoDbStockLedger(db(), table()));
export const clock = { now: () => new Date() };
/** The inbox consumers' retry with backoff; the outbox publisher's wiring. */
export const retrySoon = /* @__PURE__ */ retryWithBackoff();
export const outbox = /* @__PURE__ */ lazy(outboxPublishing);
