#!/usr/bin/env bash
# With `npm start` running: signs in as the demo customer and places an order with curl.
set -euo pipefail
O=.local-cloud/outputs.json
API=$(node -p "require('./$O').apiUrl")
COG=$(node -p "require('./$O').cognito.endpoint")
CID=$(node -p "require('./$O').cognito.clientId")
PW=$(node -p "require('./$O').users.customer.password")
TOKEN=$(curl -s -X POST "$COG" -H 'Content-Type: application/x-amz-json-1.1' \
  -H 'X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth' \
  -d "{\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"ClientId\":\"$CID\",\"AuthParameters\":{\"USERNAME\":\"customer@example.com\",\"PASSWORD\":\"$PW\"}}" |
  node -pe "JSON.parse(require('fs').readFileSync(0)).AuthenticationResult.IdToken")
echo "GET /products?limit=2"
curl -s "$API/products?limit=2"; echo
echo "POST /orders"
ORDER=$(curl -s -X POST "$API/orders" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"items":[{"productId":"prod-cafe-500g","quantity":2}],"payment":{"method":"card","token":"tok_approved"}}')
echo "$ORDER"
ID=$(echo "$ORDER" | node -pe "JSON.parse(require('fs').readFileSync(0)).orderId")
echo "GET /orders/$ID"
curl -s "$API/orders/$ID" -H "Authorization: Bearer $TOKEN"; echo
