import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function';
import { ssmName } from './ssm-names';

/**
 * Fairness limits of a stage, in requests per 60-second window, enforced by AWS WAF in front of the API:
 * per caller (the `Authorization` header, so one signed-in account cannot starve the others) and per client
 * address (whoever calls without a token, or cycles tokens).
 */
export interface RateLimits {
  perCaller: number;
  perAddress: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perCaller: 600, perAddress: 3000 };

/** What the stage configuration decides about every REST API. */
export interface ApiOptions {
  /**
   * Browser origins allowed to call the API (CORS), from the stage configuration. None: no CORS at all, the
   * API answers no preflight and sends no CORS header (server-to-server clients need none).
   */
  corsOrigins?: string[];
  rateLimits?: RateLimits;
}

export interface ServiceApiProps extends ApiOptions {
  stage: string;
  service: string;
  /** Steady-state and burst request limits of the stage (per account and region). */
  throttle?: { rateLimit: number; burstLimit: number };
}

/** Who may call: Cognito users (customers, admins), anyone, or B2B partners with an API key. */
export type RouteAuth = 'customer' | 'public' | 'partner';

/**
 * The REST API of one service: Lambda proxy routes, a Cognito user pool authorizer on the platform's pool
 * (read from SSM), request validation, X-Ray tracing, JSON access logs, stage throttling, CORS, and a WAF
 * web ACL with the per-caller and per-address rate limits (429 past them). Its URL
 * is published at `/order-platform/<stage>/<service>/api-url`.
 */
export class ServiceApi extends Construct {
  readonly api: apigw.RestApi;
  private authorizer?: apigw.CognitoUserPoolsAuthorizer;
  private readonly stage: string;
  readonly validator: apigw.RequestValidator;
  private readonly corsOrigins: string[];
  readonly firewall: wafv2.CfnWebACL;

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
    this.firewall = rateLimitingAcl(this, props.rateLimits ?? DEFAULT_RATE_LIMITS);
    new wafv2.CfnWebACLAssociation(this, 'FirewallAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.firewall.attrArn,
    });
    Validations.of(this.api).acknowledge(
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

/**
 * A regional web ACL that blocks a caller (or an address) past its limit in a 60-second window with `429`, a
 * problem body and `Retry-After`. WAF answers custom bodies as `application/json` (it lets no rule set the
 * content type to `application/problem+json`). A request without an `Authorization` header is counted only
 * by its address, as WAF does for a missing custom key.
 */
function rateLimitingAcl(scope: Construct, limits: RateLimits): wafv2.CfnWebACL {
  const visibility = (metricName: string) => ({
    sampledRequestsEnabled: true,
    cloudWatchMetricsEnabled: true,
    metricName,
  });
  const block = {
    block: {
      customResponse: {
        responseCode: 429,
        customResponseBodyKey: 'too-many-requests',
        responseHeaders: [{ name: 'Retry-After', value: '60' }],
      },
    },
  };
  return new wafv2.CfnWebACL(scope, 'Firewall', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('api'),
    customResponseBodies: {
      'too-many-requests': {
        contentType: 'APPLICATION_JSON',
        content: JSON.stringify({
          type: 'about:blank',
          title: 'Too Many Requests',
          status: 429,
          detail: 'Too many requests from this caller in the last minute; try again later.',
        }),
      },
    },
    rules: [
      {
        name: 'per-caller',
        priority: 0,
        action: block,
        visibilityConfig: visibility('per-caller'),
        statement: {
          rateBasedStatement: {
            limit: limits.perCaller,
            evaluationWindowSec: 60,
            aggregateKeyType: 'CUSTOM_KEYS',
            customKeys: [
              { header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } },
            ],
          },
        },
      },
      {
        name: 'per-address',
        priority: 1,
        action: block,
        visibilityConfig: visibility('per-address'),
        statement: {
          rateBasedStatement: { limit: limits.perAddress, evaluationWindowSec: 60, aggregateKeyType: 'IP' },
        },
      },
    ],
  });
}
