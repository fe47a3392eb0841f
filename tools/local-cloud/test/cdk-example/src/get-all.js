const { ScanCommand } = require('@aws-sdk/lib-dynamodb');
const { db, table, reply } = require('./db');

exports.handler = async () => reply(200, (await db.send(new ScanCommand({ TableName: table }))).Items);
