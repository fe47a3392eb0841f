// as: apps/faturas/src/handlers/fixture.handler.ts
import { PedidosStack } from '@order-platform/pedidos-stack';

export const stack = PedidosStack;
