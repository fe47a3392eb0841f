// Composition root: SDK clients and adapters, each built once per sandbox and only by the functions that
// use it (a function's missing setting fails its own cold start, not another's).
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import { traced } from '@order-platform/lambda-kit';
import { CognitoIdTokenVerifier } from './adapters/jwt-token-verifier';
import { DynamoDbConnections } from './adapters/dynamodb-connections';
import { DynamoDbDashboard } from './adapters/dynamodb-dashboard';
import { ManagementApiPusher } from './adapters/management-api-pusher';
import { alertConfig, authConfig, connectionsConfig, managementConfig, tableConfig } from './config';

const once = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= build());
};

const db = once(() => documentClient(traced(new DynamoDBClient({}))));
export const dashboard = once(() => new DynamoDbDashboard(db(), tableConfig().TABLE_NAME));
export const connections = once(() => new DynamoDbConnections(db(), connectionsConfig().CONNECTIONS_TABLE));
export const pusher = once(
  () =>
    new ManagementApiPusher(
      traced(new ApiGatewayManagementApiClient({ endpoint: managementConfig().CONNECTIONS_URL })),
    ),
);
export const verifier = once(() => {
  const { TOKEN_ISSUER, CLIENT_ID } = authConfig();
  return new CognitoIdTokenVerifier(TOKEN_ISSUER, CLIENT_ID);
});
export const lowStockThreshold = once(() => alertConfig().LOW_STOCK_THRESHOLD);
export const clock = { now: () => new Date() };

/** What the functions that read or feed the dashboard work with. */
export const liveFeed = once(() => ({
  log: dashboard(),
  orders: dashboard(),
  alerts: dashboard(),
  connections: connections(),
  pusher: pusher(),
  clock,
}));
