import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgePartnerRoute } from '@order-platform/cdk-constructs';
import { partnerOrdersJsonSchema } from '@order-platform/contracts';

export interface PartnerChannelProps {
  api: apigw.RestApi;
  validator: apigw.RequestValidator;
  queue: sqs.IQueue;
}

/** The request model, generated from the same zod schema the intake consumer parses with (no drift). */
export function partnerOrdersModelSchema(): apigw.JsonSchema {
  const { $schema: _draft, ...schema } = partnerOrdersJsonSchema();
  return { ...(schema as apigw.JsonSchema), schema: apigw.JsonSchemaVersion.DRAFT4, title: 'PartnerOrders' };
}

const QUEUE_REFUSED =
  '{"message":"The order was not stored: the queue refused it. Send it again.",' +
  `"code":"$util.escapeJavaScript($input.path('$.Error.Code'))",` +
  `"reason":"$util.escapeJavaScript($input.path('$.Error.Message'))"}`;

/**
 * `POST /partner/orders`: the body is checked against the model (one order or a batch of up to 25), then
 * API Gateway sends it to the intake queue with the partner's API key id, through a role that may send to
 * that queue only, and answers 202 with the message id. Partners are throttled and capped by a usage plan.
 */
export class PartnerChannel extends Construct {
  readonly usagePlan: apigw.UsagePlan;
  /** The plans' names by tier, by which functions find them at run time. */
  readonly planNames: { standard: string; trial: string };

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
      schema: partnerOrdersModelSchema(),
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
              // `$input.json('$')` re-serializes the validated body compactly: padding cannot inflate it.
              "Action=SendMessage&MessageBody=$util.urlEncode($input.json('$'))" +
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
            // SQS refused the message (4xx: throttled, refused content, permissions) or failed (5xx): nothing
            // was stored, and the partner is told so with SQS's reason, never a 202 without a message id.
            {
              statusCode: '502',
              selectionPattern: '4\\d{2}',
              responseTemplates: { 'application/json': QUEUE_REFUSED },
            },
            {
              statusCode: '503',
              selectionPattern: '5\\d{2}',
              responseTemplates: { 'application/json': QUEUE_REFUSED },
            },
          ],
        },
      }),
      {
        apiKeyRequired: true,
        requestValidator: props.validator,
        requestModels: { 'application/json': model },
        methodResponses: [{ statusCode: '202' }, { statusCode: '502' }, { statusCode: '503' }],
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
