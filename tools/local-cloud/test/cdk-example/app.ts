import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { join } from 'node:path';

/**
 * A CDK app of the kind the AWS CDK examples show (`api-cors-lambda-crud-dynamodb`: a table, one function
 * per CRUD operation, a REST API with CORS preflights from MOCK integrations), written in CDK v2 style. It
 * knows nothing of the local cloud: the test runs it as any user's app would run.
 */
export function synthCdkExample(outdir: string, options: { readOnly?: string[] } = {}): string {
  const app = new App({ outdir });
  const stack = new Stack(app, 'ItemsExample');
  const table = new dynamodb.Table(stack, 'Items', {
    partitionKey: { name: 'itemId', type: dynamodb.AttributeType.STRING },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const code = lambda.Code.fromAsset(join(__dirname, 'src'));
  const api = new apigw.RestApi(stack, 'ItemsApi', { restApiName: 'Items Service' });
  const items = api.root.addResource('items');
  const item = items.addResource('{id}');
  const route = (resource: apigw.IResource, method: string, handler: string) => {
    const fn = new lambda.Function(stack, `${handler}Function`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: `${handler}.handler`,
      code,
      environment: { TABLE_NAME: table.tableName, PRIMARY_KEY: 'itemId' },
    });
    // `readOnly` takes the write grant away from some functions (how the IAM test removes one grant).
    if (options.readOnly?.includes(handler)) table.grantReadData(fn);
    else table.grantReadWriteData(fn);
    resource.addMethod(method, new apigw.LambdaIntegration(fn));
  };
  route(items, 'GET', 'get-all');
  route(items, 'POST', 'create');
  route(item, 'GET', 'get-one');
  route(item, 'PATCH', 'update-one');
  route(item, 'DELETE', 'delete-one');
  for (const resource of [items, item])
    resource.addMethod(
      'OPTIONS',
      new apigw.MockIntegration({
        integrationResponses: [
          {
            statusCode: '200',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Origin': "'*'",
              'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,GET,POST,PATCH,DELETE'",
            },
          },
        ],
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
      {
        methodResponses: [
          {
            statusCode: '200',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Origin': true,
              'method.response.header.Access-Control-Allow-Methods': true,
            },
          },
        ],
      },
    );
  app.synth();
  return outdir;
}
