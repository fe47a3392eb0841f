const { GetCommand } = require('@aws-sdk/lib-dynamodb');
const { db, table, key, reply } = require('./db');

exports.handler = async (event) => {
  const res = await db.send(new GetCommand({ TableName: table, Key: { [key]: event.pathParameters.id } }));
  return res.Item ? reply(200, res.Item) : reply(404, { error: 'not found' });
};
