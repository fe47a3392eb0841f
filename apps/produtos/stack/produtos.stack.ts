import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  Inbox,
  OutboxPublisher,
  ServiceApi,
  ServiceFunction,
  ServiceTable,
  serviceTopic,
} from '@order-platform/cdk-constructs';
import type { ApiOptions } from '@order-platform/cdk-constructs';

export interface ProdutosStackProps extends StackProps {
  stage: string;
  /** CORS origins and rate limits of the stage's REST API. */
  api?: ApiOptions;
}

/** produtos: catalog, prices and stock. Owns its table, its topic, its REST routes and its outbox. */
export class ProdutosStack extends Stack {
  constructor(scope: Construct, id: string, props: ProdutosStackProps) {
    super(scope, id, props);
    const service = 'produtos';
    const { table } = new ServiceTable(this, 'Catalog', {
      stream: true,
      // Keys only: stock moves rewrite products, and a copying index would bill each one twice.
      indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'KEYS_ONLY' }],
    });
    const topic = serviceTopic(this, 'Events', props.stage, service);
    const environment = { TABLE_NAME: table.tableName };

    const listProducts = new ServiceFunction(this, 'ListProducts', {
      service,
      handler: 'list-products',
      environment,
    });
    const getProduct = new ServiceFunction(this, 'GetProduct', {
      service,
      handler: 'get-product',
      environment,
    });
    listProducts.grant(
      new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/gsi1`] }),
    );
    listProducts.grant(
      new iam.PolicyStatement({ actions: ['dynamodb:BatchGetItem'], resources: [table.tableArn] }),
    );
    getProduct.grant(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn] }));
    const handleOrderEvents = new ServiceFunction(this, 'HandleOrderEvents', {
      service,
      handler: 'handle-order-events',
      environment,
      timeout: Duration.seconds(20),
    });
    handleOrderEvents.grant(
      new iam.PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [table.tableArn],
      }),
    );
    new Inbox(this, 'Inbox', {
      stage: props.stage,
      sources: [{ service: 'pedidos', eventTypes: ['OrderPlaced', 'OrderCancelled', 'OrderCompleted'] }],
      consumer: handleOrderEvents,
      visibilityTimeout: Duration.seconds(120),
    });
    const publishEvents = new ServiceFunction(this, 'PublishEvents', { service, handler: 'publish-events' });
    new OutboxPublisher(this, 'Outbox', {
      table,
      topic,
      publisher: publishEvents,
      stage: props.stage,
      service,
    });

    const admin = (id: string, handler: string) => {
      const fn = new ServiceFunction(this, id, { service, handler, environment });
      fn.grant(
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          resources: [table.tableArn],
        }),
      );
      return fn;
    };
    const createProduct = admin('CreateProduct', 'create-product');
    const updateProduct = admin('UpdateProduct', 'update-product');
    const adjustStock = admin('AdjustStock', 'adjust-stock');

    const api = new ServiceApi(this, 'Api', { stage: props.stage, service, ...props.api });
    api.route('POST', '/products', createProduct, 'customer');
    api.route('PUT', '/products/{id}', updateProduct, 'customer');
    api.route('POST', '/products/{id}/stock', adjustStock, 'customer');
    api.route('GET', '/products', listProducts, 'public');
    api.route('GET', '/products/{id}', getProduct, 'public');
  }
}
