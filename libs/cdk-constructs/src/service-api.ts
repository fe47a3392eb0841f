import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function';
import { ssmName } from './ssm-names';

export interface ServiceApiProps {
  stage: string;
  service: string;
  /** Steady-state and burst request limits of the stage (per account and region). */
  throttle?: { rateLimit: number; burstLimit: number };
  /**
   * Browser origins allowed to call the API (CORS), from the stage configuration. None: no CORS at all, the
   * API answers no preflight and sends no CORS header (server-to-server clients need none).
   */
  corsOrigins?: string[];
}

/** Who may call: Cognito users (customers, admins), anyone, or B2B partners with an API key. */
export type RouteAuth = 'customer' | 'public' | 'partner';

/**
 * The REST API of one service: Lambda proxy routes, a Cognito user pool authorizer on the platform's pool
 * (read from SSM), request validation, X-Ray tracing, JSON access logs, stage throttling and CORS. Its URL
 * is published at `/order-platform/<stage>/<service>/api-url`.
 */
export class ServiceApi extends Construct {
  readonly api: apigw.RestApi;
  private authorizer?: apigw.CognitoUserPoolsAuthorizer;
  private readonly stage: string;
  readonly validator: apigw.RequestValidator;
  private readonly corsOrigins: string[];

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigw.RestApi(this, 'Api', {
      description: `${props.service} REST API (${props.stage})`,
      cloudWatchRole: false,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      deployOptions: {
        stageName: 'api',
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: props.throttle?.rateLimit ?? 200,
        throttlingBurstLimit: props.throttle?.burstLimit ?? 400,
        loggingLevel: apigw.MethodLoggingLevel.OFF,
      },
      ...(props.corsOrigins?.length
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: props.corsOrigins,
              allowHeaders: [
                'Content-Type',
                'Authorization',
                'Idempotency-Key',
                'x-api-key',
                'x-correlation-id',
              ],
              allowMethods: apigw.Cors.ALL_METHODS,
            },
          }
        : {}),
    });
    this.corsOrigins = props.corsOrigins ?? [];
    this.stage = props.stage;
    this.validator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    new ssm.StringParameter(this, 'ApiUrlParameter', {
      parameterName: ssmName(props.stage, props.service, 'api-url'),
      stringValue: this.api.url,
    });
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'WAF is attached at the edge per installation (it costs per web ACL); throttling and usage plans guard each stage.',
      },
      {
        id: 'AwsSolutions-APIG6',
        reason:
          'Execution logging needs an account-wide CloudWatch role; JSON access logs and X-Ray traces cover each request.',
      },
      {
        id: 'Serverless-APIGWStructuredLogging',
        reason: 'Access logs use the JSON format with standard fields (jsonWithStandardFields).',
      },
    );
  }

  /** The Cognito authorizer on the platform's user pool, made with the first customer route. */
  cognitoAuthorizer(): apigw.CognitoUserPoolsAuthorizer {
    if (!this.authorizer) {
      const userPool = cognito.UserPool.fromUserPoolArn(
        this,
        'UserPool',
        ssm.StringParameter.valueForStringParameter(this, ssmName(this.stage, 'platform', 'user-pool-arn')),
      );
      this.authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
        cognitoUserPools: [userPool],
      });
    }
    return this.authorizer;
  }

  /** Adds `method path` with Lambda proxy integration; customer routes use the Cognito authorizer. */
  route(method: string, path: string, fn: ServiceFunction, auth: RouteAuth): apigw.Method {
    const resource = this.api.root.resourceForPath(path);
    // The function answers the actual request; it sends CORS headers to the origins allowed here only.
    if (this.corsOrigins.length)
      fn.function.addEnvironment('CORS_ALLOWED_ORIGINS', this.corsOrigins.join(','));
    const created = resource.addMethod(method, new apigw.LambdaIntegration(fn.function), {
      authorizer: auth === 'customer' ? this.cognitoAuthorizer() : undefined,
      authorizationType: auth === 'customer' ? apigw.AuthorizationType.COGNITO : apigw.AuthorizationType.NONE,
      requestValidator: this.validator,
      apiKeyRequired: auth === 'partner',
    });
    if (auth === 'partner') acknowledgePartnerRoute(created, method, path);
    if (auth === 'public') {
      Validations.of(created).acknowledge(
        { id: 'AwsSolutions-APIG4', reason: `${method} ${path} is public by design (catalog browsing).` },
        { id: 'AwsSolutions-COG4', reason: `${method} ${path} is public by design (catalog browsing).` },
      );
    }
    return created;
  }
}

/** Partner routes authenticate with an API key bound to a usage plan, not with Cognito. */
export function acknowledgePartnerRoute(method: apigw.Method, verb: string, path: string): void {
  Validations.of(method).acknowledge(
    {
      id: 'AwsSolutions-APIG4',
      reason: `${verb} ${path} is for B2B partners: an API key with a usage plan authenticates them.`,
    },
    {
      id: 'AwsSolutions-COG4',
      reason: `${verb} ${path} is for B2B partners: an API key with a usage plan authenticates them.`,
    },
  );
}
