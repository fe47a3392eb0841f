const { UpdateCommand } = require('@aws-sdk/lib-dynamodb');
const { db, table, key, reply } = require('./db');

exports.handler = async (event) => {
  const changes = Object.entries(JSON.parse(event.body || '{}')).filter(([name]) => name !== key);
  if (!changes.length) return reply(400, { error: 'nothing to update' });
  await db.send(
    new UpdateCommand({
      TableName: table,
      Key: { [key]: event.pathParameters.id },
      UpdateExpression: `SET ${changes.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(changes.map(([name], i) => [`#n${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(changes.map(([, value], i) => [`:v${i}`, value])),
    }),
  );
  return reply(204);
};
