// as: apps/pedidos/src/handlers/fixture.handler.ts
import { SQSClient } from '@aws-sdk/client-sqs';
import { HttpPartnerCallbacks } from '../adapters/http-partner.callbacks';

export const wired = [new SQSClient({}), HttpPartnerCallbacks];
