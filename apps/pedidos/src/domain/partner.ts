/**
 * The naming conventions of the partner channel, in one place: the customer account a partner's orders
 * belong to, and the partner id recorded for an order that came with a key no registered partner holds.
 */
export const partnerCustomerId = (partnerId: string): string => `partner-${partnerId}`;
export const unknownPartnerId = (apiKeyId: string): string => `key-${apiKeyId}`;
