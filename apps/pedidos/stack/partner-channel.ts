import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgePartnerRoute } from '@order-platform/cdk-constructs';

export interface PartnerChannelProps {
  api: apigw.RestApi;
  validator: apigw.RequestValidator;
  queue: sqs.IQueue;
}

const order = {
  type: apigw.JsonSchemaType.OBJECT,
  required: ['partnerOrderRef', 'items', 'deliverTo'],
  properties: {
    partnerOrderRef: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 64 },
    items: {
      type: apigw.JsonSchemaType.ARRAY,
      minItems: 1,
      maxItems: 50,
      items: {
        type: apigw.JsonSchemaType.OBJECT,
        required: ['quantity'],
        properties: {
          sku: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 40 },
          productId: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 64 },
          quantity: { type: apigw.JsonSchemaType.INTEGER, minimum: 1 },
        },
        anyOf: [{ required: ['sku'] }, { required: ['productId'] }],
      },
    },
    deliverTo: { type: apigw.JsonSchemaType.OBJECT },
  },
} satisfies apigw.JsonSchema;

/**
 * `POST /partner/orders`: the body is checked against the model (one order or a batch of up to 25), then
 * API Gateway sends it to the intake queue with the partner's API key id, through a role that may send to
 * that queue only, and answers 202 with the message id. Partners are throttled and capped by a usage plan.
 */
export class PartnerChannel extends Construct {
  readonly usagePlan: apigw.UsagePlan;
  /** The plans' names by tier, by which functions find them at run time. */
  readonly planNames: { standard: string; trial: string };
  readonly demoKey: apigw.IApiKey;

  constructor(scope: Construct, id: string, props: PartnerChannelProps) {
    super(scope, id);
    const role = new iam.Role(this, 'IntakeRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway sends partner orders to the pedidos intake queue',
    });
    props.queue.grantSendMessages(role);
    const model = props.api.addModel('PartnerOrders', {
      contentType: 'application/json',
      modelName: 'PartnerOrders',
      schema: {
        schema: apigw.JsonSchemaVersion.DRAFT4,
        title: 'PartnerOrders',
        anyOf: [
          order,
          {
            type: apigw.JsonSchemaType.OBJECT,
            required: ['orders'],
            properties: {
              orders: { type: apigw.JsonSchemaType.ARRAY, minItems: 1, maxItems: 25, items: order },
            },
          },
        ],
      },
    });
    const method = props.api.root.resourceForPath('/partner/orders').addMethod(
      'POST',
      new apigw.AwsIntegration({
        service: 'sqs',
        path: `${props.api.env.account}/${props.queue.queueName}`,
        integrationHttpMethod: 'POST',
        options: {
          credentialsRole: role,
          passthroughBehavior: apigw.PassthroughBehavior.NEVER,
          requestParameters: {
            'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
          },
          requestTemplates: {
            'application/json':
              'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' +
              '&MessageAttribute.1.Name=apiKeyId&MessageAttribute.1.Value.DataType=String' +
              '&MessageAttribute.1.Value.StringValue=$context.identity.apiKeyId',
          },
          integrationResponses: [
            {
              statusCode: '202',
              responseTemplates: {
                'application/json': `{"messageId":"$input.path('$.SendMessageResponse.SendMessageResult.MessageId')"}`,
              },
            },
            {
              statusCode: '500',
              selectionPattern: '5\\d{2}',
              responseTemplates: { 'application/json': '{"message":"Try again"}' },
            },
          ],
        },
      }),
      {
        apiKeyRequired: true,
        requestValidator: props.validator,
        requestModels: { 'application/json': model },
        methodResponses: [{ statusCode: '202' }, { statusCode: '500' }],
      },
    );
    acknowledgePartnerRoute(method, 'POST', '/partner/orders');

    this.planNames = {
      standard: `${Stack.of(this).stackName}-partners`,
      trial: `${Stack.of(this).stackName}-partners-trial`,
    };
    this.usagePlan = props.api.addUsagePlan('PartnerPlan', {
      name: this.planNames.standard,
      description: 'B2B partners: steady 20 requests/s, bursts of 40, 10 000 requests a day',
      throttle: { rateLimit: 20, burstLimit: 40 },
      quota: { limit: 10_000, period: apigw.Period.DAY },
      apiStages: [{ api: props.api, stage: props.api.deploymentStage }],
    });
    this.demoKey = props.api.addApiKey('DemoPartnerKey', {
      apiKeyName: 'farmacia-demo',
      description: 'Demo partner (a pharmacy chain); its registry record is seeded locally',
    });
    this.usagePlan.addApiKey(this.demoKey);
    // Partners on trial: the same pace, a hundred requests a day.
    props.api.addUsagePlan('PartnerTrialPlan', {
      name: this.planNames.trial,
      description: 'B2B partners on trial: steady 20 requests/s, bursts of 40, 100 requests a day',
      throttle: { rateLimit: 20, burstLimit: 40 },
      quota: { limit: 100, period: apigw.Period.DAY },
      apiStages: [{ api: props.api, stage: props.api.deploymentStage }],
    });
  }
}
