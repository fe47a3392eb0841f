// as: apps/pedidos/src/application/fixture.use-case.test.ts
import { InMemoryOrders } from './testing/in-memory-orders';

export const orders = new InMemoryOrders();
