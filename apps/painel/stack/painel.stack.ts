import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Inbox, ServiceFunction, ServiceTable } from '@order-platform/cdk-constructs';

export interface PainelStackProps extends StackProps {
  stage: string;
}

/** painel: the admin dashboard's own event log, fed by an inbox subscribed to every service topic. */
export class PainelStack extends Stack {
  constructor(scope: Construct, id: string, props: PainelStackProps) {
    super(scope, id, props);
    const service = 'painel';
    const { table } = new ServiceTable(this, 'Dashboard', {
      indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    });
    const recordEvent = new ServiceFunction(this, 'RecordEvent', {
      service,
      handler: 'record-event',
      environment: { TABLE_NAME: table.tableName },
      timeout: Duration.seconds(10),
    });
    recordEvent.grant(
      new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn] }),
    );
    new Inbox(this, 'Inbox', {
      stage: props.stage,
      sources: [{ service: 'produtos' }, { service: 'pedidos' }, { service: 'faturas' }],
      consumer: recordEvent,
      visibilityTimeout: Duration.seconds(60),
    });
  }
}
