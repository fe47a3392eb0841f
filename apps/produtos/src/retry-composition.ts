// The consumers' retry: a failed message comes back after 2, 4, 8... seconds, not the visibility timeout.
import { SQSClient } from '@aws-sdk/client-sqs';
import { sqsRetryBackoff } from '@order-platform/aws-adapters';
import { traced } from '@order-platform/lambda-kit';

export const retrySoon = { onFailure: sqsRetryBackoff(traced(new SQSClient({}))) };
