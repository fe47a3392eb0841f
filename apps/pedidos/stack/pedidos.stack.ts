import { Duration, RemovalPolicy, Stack, Token, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import {
  acknowledge,
  type ApiOptions,
  Inbox,
  OutboxPublisher,
  ServiceApi,
  ServiceFunction,
  ServiceTable,
  serviceTopic,
} from '@order-platform/cdk-constructs';
import { LegacyChannel, type LegacySource } from './legacy-channel';
import { PartnerChannel } from './partner-channel';

export interface PedidosStackProps extends StackProps {
  stage: string;
  /** Sender of customer e-mails; its SES identity is declared here (verify it once per account). */
  senderEmail?: string;
  /** Let partner callbacks go to this machine's loopback over plain HTTP: the local cloud only. */
  allowLoopbackCallbacks?: boolean;
  /**
   * Who charges cards: the payment simulator (test tokens) or Stripe, whose secret key the stack keeps in
   * a Secrets Manager secret (`PaymentProviderSecret`, filled by the operator once).
   */
  paymentProvider?: 'simulator' | 'stripe';
  /** What happens to stateful resources (the legacy database) when the stack goes. */
  removalPolicy?: RemovalPolicy;
  /** CORS origins and rate limits of the stage's REST API. */
  api?: ApiOptions;
  /**
   * The legacy channel (seed 004, ADR 0016): orders from an existing MySQL database through DMS and
   * Kinesis, outcomes written back. Off unless configured: its database, DMS instance and stream run
   * around the clock.
   */
  legacy?: { source: LegacySource; tls: 'rds' | 'off' };
}

/** pedidos: orders and their lifecycle. Owns its table, its topic, its REST routes, its inboxes and its outbox. */
export class PedidosStack extends Stack {
  constructor(scope: Construct, id: string, props: PedidosStackProps) {
    super(scope, id, props);
    const service = 'pedidos';
    const senderEmail = props.senderEmail ?? 'pedidos@example.com';
    const { table } = new ServiceTable(this, 'Orders', {
      stream: true,
      indexes: [
        // Keys only: an order is rewritten at every step, and an index holding all of it would bill each
        // step again per index; the list reads the orders of a page by key (ADR 0012).
        { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'KEYS_ONLY' },
        { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'KEYS_ONLY' },
        { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'KEYS_ONLY' },
      ],
    });
    const topic = serviceTopic(this, 'Events', props.stage, service);
    const environment = { TABLE_NAME: table.tableName };
    const items = [table.tableArn];
    const indexes = ['gsi1', 'gsi2', 'gsi3'].map((name) => `${table.tableArn}/index/${name}`);

    const paymentProvider = props.paymentProvider ?? 'simulator';
    const placeOrder = new ServiceFunction(this, 'PlaceOrder', {
      service,
      handler: 'place-order',
      environment: { ...environment, PAYMENT_PROVIDER: paymentProvider },
    });
    const getOrder = new ServiceFunction(this, 'GetOrder', { service, handler: 'get-order', environment });
    const listOrders = new ServiceFunction(this, 'ListOrders', {
      service,
      handler: 'list-orders',
      environment,
    });
    const cancelOrder = new ServiceFunction(this, 'CancelOrder', {
      service,
      handler: 'cancel-order',
      environment,
    });
    const paymentSecret =
      paymentProvider === 'stripe'
        ? new secretsmanager.Secret(this, 'PaymentProviderSecret', {
            description:
              'The Stripe secret API key (sk_live_...) pedidos charges and refunds with; set it once',
          })
        : undefined;
    if (paymentSecret)
      acknowledge(
        paymentSecret,
        'AwsSolutions-SMG4',
        'A Stripe API key is rolled in the Stripe dashboard, then stored here; Secrets Manager cannot rotate it.',
      );
    const handleEvents = new ServiceFunction(this, 'HandleEvents', {
      service,
      handler: 'handle-events',
      environment: {
        ...environment,
        PAYMENT_PROVIDER: paymentProvider,
        ...(paymentSecret ? { PAYMENT_SECRET_ARN: paymentSecret.secretArn } : {}),
      },
      timeout: Duration.seconds(20),
    });
    // Only the saga reads the payment secret.
    if (paymentSecret) paymentSecret.grantRead(handleEvents.function);
    const notifyCustomer = new ServiceFunction(this, 'NotifyCustomer', {
      service,
      handler: 'notify-customer',
      environment: { ...environment, SENDER_EMAIL: senderEmail },
      timeout: Duration.seconds(20),
    });
    const publishEvents = new ServiceFunction(this, 'PublishEvents', { service, handler: 'publish-events' });

    // Least privilege: each function gets the item actions it uses on this table, and nothing else.
    const allow = (fn: ServiceFunction, actions: string[], resources = items) =>
      fn.grant(new iam.PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources }));
    allow(placeOrder, ['PutItem', 'GetItem']);
    allow(getOrder, ['GetItem']);
    allow(listOrders, ['Query'], indexes);
    allow(listOrders, ['BatchGetItem']);
    allow(cancelOrder, ['GetItem', 'PutItem']);
    allow(handleEvents, ['GetItem', 'PutItem', 'UpdateItem']);
    allow(notifyCustomer, ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']);
    const identity = new ses.EmailIdentity(this, 'Sender', { identity: ses.Identity.email(senderEmail) });
    notifyCustomer.grant(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          `arn:${this.partition}:ses:${this.region}:${this.account}:identity/${identity.emailIdentityName}`,
        ],
      }),
    );
    new OutboxPublisher(this, 'Outbox', {
      table,
      topic,
      publisher: publishEvents,
      stage: props.stage,
      service,
    });

    new Inbox(this, 'Inbox', {
      stage: props.stage,
      sources: [
        { service: 'produtos', eventTypes: ['StockReserved', 'StockReservationFailed'] },
        { service: 'faturas', eventTypes: ['InvoiceIssued'] },
        // Its own cancellations: the refund of what a cancelled order may still hold.
        { service, eventTypes: ['OrderCancelled'] },
      ],
      consumer: handleEvents,
      visibilityTimeout: Duration.seconds(120),
    });
    new Inbox(this, 'Notifications', {
      stage: props.stage,
      sources: [
        { service, eventTypes: ['OrderPlaced', 'OrderCompleted', 'OrderRejected', 'OrderCancelled'] },
      ],
      consumer: notifyCustomer,
      visibilityTimeout: Duration.seconds(120),
      maxBatchingWindow: Duration.seconds(1),
    });

    const api = new ServiceApi(this, 'Api', { stage: props.stage, service, ...props.api });
    api.route('POST', '/orders', placeOrder, 'customer');
    api.route('GET', '/orders', listOrders, 'customer');
    api.route('GET', '/orders/{id}', getOrder, 'customer');
    api.route('POST', '/orders/{id}/cancel', cancelOrder, 'customer');

    // B2B partners: API Gateway puts their orders on the intake queue itself (no Lambda in front).
    const intakeOrders = new ServiceFunction(this, 'IntakePartnerOrders', {
      service,
      handler: 'intake-partner-orders',
      environment,
      timeout: Duration.seconds(30),
    });
    allow(intakeOrders, ['GetItem', 'PutItem']);
    const intake = new Inbox(this, 'PartnerIntake', {
      stage: props.stage,
      sources: [],
      consumer: intakeOrders,
      maxReceiveCount: 3,
      visibilityTimeout: Duration.seconds(180),
    });
    const getPartnerOrder = new ServiceFunction(this, 'GetPartnerOrder', {
      service,
      handler: 'get-partner-order',
      environment,
    });
    allow(getPartnerOrder, ['GetItem']);
    const channel = new PartnerChannel(this, 'Partners', {
      api: api.api,
      validator: api.validator,
      queue: intake.queue,
    });
    api.route('GET', '/partner/orders/{partnerOrderRef}', getPartnerOrder, 'partner');

    // Admins register partners (each gets its own key in the partners' usage plan) and disable them.
    // The plan travels by name, not by id: an id would make the functions depend on the API's own stage.
    const callbackRules = { CALLBACKS_ALLOW_LOOPBACK: String(props.allowLoopbackCallbacks ?? false) };
    const partnerAdmin = {
      ...environment,
      ...callbackRules,
      PARTNER_USAGE_PLANS: JSON.stringify(channel.planNames),
    };
    const registerPartner = new ServiceFunction(this, 'RegisterPartner', {
      service,
      handler: 'register-partner',
      environment: partnerAdmin,
    });
    const disablePartner = new ServiceFunction(this, 'DisablePartner', {
      service,
      handler: 'disable-partner',
      environment: partnerAdmin,
    });
    allow(registerPartner, ['GetItem', 'PutItem']);
    allow(disablePartner, ['GetItem', 'UpdateItem']);
    const controlPlane = (path: string) => `arn:${this.partition}:apigateway:${this.region}::${path}`;
    registerPartner.grant(
      new iam.PolicyStatement({
        actions: ['apigateway:POST'],
        resources: [controlPlane('/apikeys'), controlPlane('/usageplans/*/keys')],
      }),
    );
    registerPartner.grant(
      new iam.PolicyStatement({ actions: ['apigateway:DELETE'], resources: [controlPlane('/apikeys/*')] }),
    );
    registerPartner.grant(
      new iam.PolicyStatement({ actions: ['apigateway:GET'], resources: [controlPlane('/usageplans')] }),
    );
    disablePartner.grant(
      new iam.PolicyStatement({ actions: ['apigateway:PATCH'], resources: [controlPlane('/apikeys/*')] }),
    );
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    for (const fn of [registerPartner, disablePartner])
      acknowledge(
        fn,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:${region}::/apikeys/*]`,
        'A partner key id is only known at run time; the actions are limited to PATCH (disable) and DELETE (undo).',
      );
    acknowledge(
      registerPartner,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:${region}::/usageplans/*/keys]`,
      'Naming the plan id would make this function depend on the API stage it serves (a cycle); only POST of keys is allowed.',
    );
    // Partners with a callback URL hear of each order's final status (signed, retried with backoff, DLQ).
    const notifyPartner = new ServiceFunction(this, 'NotifyPartner', {
      service,
      handler: 'notify-partner',
      environment: { ...environment, ...callbackRules },
      timeout: Duration.seconds(15),
    });
    allow(notifyPartner, ['GetItem']);
    new Inbox(this, 'PartnerCallbacks', {
      stage: props.stage,
      // Partner orders' outcomes only (the others are not invoked for at all).
      sources: [
        { service, eventTypes: ['OrderCompleted', 'OrderRejected', 'OrderCancelled'], channels: ['partner'] },
      ],
      consumer: notifyPartner,
      maxReceiveCount: 8,
      visibilityTimeout: Duration.seconds(90),
    });
    if (props.legacy)
      new LegacyChannel(this, 'Legacy', {
        stage: props.stage,
        table,
        source: props.legacy.source,
        tls: props.legacy.tls,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      });
    api.route('POST', '/partners', registerPartner, 'customer');
    api.route('POST', '/partners/{partnerId}/disable', disablePartner, 'customer');
  }
}
