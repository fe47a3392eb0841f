const { DeleteCommand } = require('@aws-sdk/lib-dynamodb');
const { db, table, key, reply } = require('./db');

exports.handler = async (event) => {
  await db.send(new DeleteCommand({ TableName: table, Key: { [key]: event.pathParameters.id } }));
  return reply(200);
};
