// The items table through the SDK the Lambda runtime ships (v3), as the example's handlers use it.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb');

exports.db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
exports.table = process.env.TABLE_NAME;
exports.key = process.env.PRIMARY_KEY;
exports.reply = (statusCode, body) => ({ statusCode, body: body === undefined ? '' : JSON.stringify(body) });
