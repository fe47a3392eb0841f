import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  EventTopic,
  OutboxPublisher,
  ServiceApi,
  ServiceFunction,
  ServiceTable,
} from '@order-platform/cdk-constructs';

export interface PedidosStackProps extends StackProps {
  stage: string;
}

/** pedidos: orders and their lifecycle. Owns its table, its topic, its REST routes and its outbox. */
export class PedidosStack extends Stack {
  constructor(scope: Construct, id: string, props: PedidosStackProps) {
    super(scope, id, props);
    const service = 'pedidos';
    const { table } = new ServiceTable(this, 'Orders', {
      indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    });
    const { topic } = new EventTopic(this, 'Events', { stage: props.stage, service });
    const environment = { TABLE_NAME: table.tableName };

    const placeOrder = new ServiceFunction(this, 'PlaceOrder', {
      service,
      handler: 'place-order',
      environment,
    });
    const getOrder = new ServiceFunction(this, 'GetOrder', { service, handler: 'get-order', environment });
    const publishEvents = new ServiceFunction(this, 'PublishEvents', { service, handler: 'publish-events' });

    // Least privilege: placing writes orders, idempotency and outbox items in one transaction; reading gets.
    placeOrder.grant(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:GetItem'],
        resources: [table.tableArn],
      }),
    );
    getOrder.grant(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn] }));
    new OutboxPublisher(this, 'Outbox', { table, topic, publisher: publishEvents });

    const api = new ServiceApi(this, 'Api', { stage: props.stage, service });
    api.route('POST', '/orders', placeOrder, 'customer');
    api.route('GET', '/orders/{id}', getOrder, 'customer');
  }
}
