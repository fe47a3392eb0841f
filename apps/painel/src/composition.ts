// Composition root of painel: the one place that wires SDK clients and adapters to the ports. Everything
// is built on first use, once per sandbox, so each function builds only what it uses (a function's missing
// setting fails its own cold start, not another's).
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { XRayClient } from '@aws-sdk/client-xray';
import { randomUUID } from 'node:crypto';
import { documentClient, retryWithBackoff } from '@order-platform/aws-adapters';
import { lazy, traced } from '@order-platform/lambda-kit';
import { CognitoIdTokenVerifier } from './adapters/jwt-token-verifier';
import { DynamoDbConnections } from './adapters/dynamodb-connections';
import { DynamoDbDashboard } from './adapters/dynamodb-dashboard';
import { ManagementApiPusher } from './adapters/management-api-pusher';
import { ApiGatewayPartnerQuotas } from './adapters/apigateway-partner-usage';
import { LambdaOutboxReplays } from './adapters/lambda-outbox-replays';
import { SqsDeadLetterQueues } from './adapters/sqs-dead-letter-queues';
import { XRayTraces } from './adapters/xray-traces';
import {
  alertConfig,
  authConfig,
  connectionsConfig,
  managementConfig,
  operationsConfig,
  replayConfig,
  tableConfig,
} from './config';

const db = /* @__PURE__ */ lazy(() => documentClient(traced(new DynamoDBClient({}))));
export const dashboard = /* @__PURE__ */ lazy(() => new DynamoDbDashboard(db(), tableConfig().TABLE_NAME));
export const connections = /* @__PURE__ */ lazy(
  () => new DynamoDbConnections(db(), connectionsConfig().CONNECTIONS_TABLE),
);
export const pusher = /* @__PURE__ */ lazy(
  () =>
    new ManagementApiPusher(
      traced(new ApiGatewayManagementApiClient({ endpoint: managementConfig().CONNECTIONS_URL })),
    ),
);
export const verifier = /* @__PURE__ */ lazy(() => {
  const { TOKEN_ISSUER, CLIENT_ID } = authConfig();
  return new CognitoIdTokenVerifier(TOKEN_ISSUER, CLIENT_ID);
});
export const lowStockThreshold = /* @__PURE__ */ lazy(() => alertConfig().LOW_STOCK_THRESHOLD);
export const clock = { now: () => new Date() };
export const traces = /* @__PURE__ */ lazy(() => new XRayTraces(traced(new XRayClient({}))));

/** What the functions that read or feed the dashboard work with. */
export const liveFeed = /* @__PURE__ */ lazy(() => ({
  log: dashboard(),
  orders: dashboard(),
  alerts: dashboard(),
  connections: connections(),
  pusher: pusher(),
  clock,
}));

/** What the operations function works with: the stage's DLQs besides painel's own data. */
export const operations = /* @__PURE__ */ lazy(() => ({
  queues: new SqsDeadLetterQueues(traced(new SQSClient({})), operationsConfig().QUEUE_PREFIX),
  quotas: new ApiGatewayPartnerQuotas(
    traced(new APIGatewayClient({})),
    operationsConfig().PARTNER_PLAN_PREFIX,
  ),
  replays: new LambdaOutboxReplays(traced(new LambdaClient({})), {
    produtos: replayConfig().REPLAY_FUNCTION_PRODUTOS,
    pedidos: replayConfig().REPLAY_FUNCTION_PEDIDOS,
    faturas: replayConfig().REPLAY_FUNCTION_FATURAS,
  }),
  orders: dashboard(),
  log: dashboard(),
  connections: connections(),
  pusher: pusher(),
  clock,
  newId: randomUUID,
}));

/** The inbox consumer's retry with backoff. */
export const retrySoon = /* @__PURE__ */ retryWithBackoff();
