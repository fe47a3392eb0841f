const { PutCommand } = require('@aws-sdk/lib-dynamodb');
const { randomUUID } = require('node:crypto');
const { db, table, key, reply } = require('./db');

exports.handler = async (event) => {
  if (!event.body) return reply(400, { error: 'a body is required' });
  const item = { ...JSON.parse(event.body), [key]: randomUUID() };
  await db.send(new PutCommand({ TableName: table, Item: item }));
  return reply(201, item);
};
