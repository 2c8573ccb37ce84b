#!/usr/bin/env bash
# The README's walk-through as one script: an app, a user token through the authorization-code
# flow with PKCE (the sign-in page driven by curl, as a browser would), an upload, waiting until
# the track is ready, streaming it, and what errors and rate limits look like.
# Usage: BASE=http://127.0.0.1:8000 USERNAME=demo PASSWORD=… docs/walkthrough.sh
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8000}
LITESTAR=${LITESTAR:-.venv/bin/litestar}
REDIRECT=http://127.0.0.1:8765/callback
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# 1. an app of your own (confidential: it has a secret) with a redirect URI
app=$($LITESTAR apps create --name "walkthrough $$" --bff public --redirect-uri "$REDIRECT")
CLIENT_ID=$(echo "$app" | json "['client_id']"); CLIENT_SECRET=$(echo "$app" | json "['client_secret']")

# 2. PKCE: a random verifier and its S256 challenge
VERIFIER=$(python3 -c "import secrets; print(secrets.token_urlsafe(48))")
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -binary -sha256 | openssl base64 -A | tr '+/' '-_' | tr -d '=')

# 3. the sign-in page (a browser would show it: open the same URL), then sign in and approve
AUTHORIZE="$BASE/auth/authorize?response_type=code&client_id=$CLIENT_ID&redirect_uri=$REDIRECT&scope=read+write&state=xyz&code_challenge=$CHALLENGE&code_challenge_method=S256"
page=$(curl -sf "$AUTHORIZE")
fields=$(echo "$page" | python3 -c "
import html, re, sys, urllib.parse
page = sys.stdin.read()
hidden = dict(re.findall(r'<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"', page))
print(urllib.parse.urlencode({k: html.unescape(v) for k, v in hidden.items()}))")
location=$(curl -s -o /dev/null -w '%{redirect_url}' -X POST "$BASE/auth/authorize" \
  --data "$fields" --data-urlencode "username=$USERNAME" --data-urlencode "password=$PASSWORD" \
  --data "decision=approve")
CODE=$(python3 -c "import sys, urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)['code'][0])" "$location")

# 4. the code for tokens (the verifier proves this client started the flow)
tokens=$(curl -sf "$BASE/auth/oauth/token" -d grant_type=authorization_code -d code="$CODE" \
  -d redirect_uri="$REDIRECT" -d client_id="$CLIENT_ID" -d client_secret="$CLIENT_SECRET" \
  -d code_verifier="$VERIFIER")
TOKEN=$(echo "$tokens" | json "['access_token']")
echo "access token: ${TOKEN:0:8}… scope: $(echo "$tokens" | json "['scope']")"
AUTH="Authorization: OAuth $TOKEN"

# 5. upload a file, then wait until its media is ready
track=$(curl -sf -H "$AUTH" "$BASE/public/tracks" -F "track[title]=Walkthrough" -F "track[asset_data]=@${AUDIO:?set AUDIO to an audio file}")
TRACK=$(echo "$track" | json "['id']")
for _ in $(seq 1 60); do
  streams=$(curl -sf -H "$AUTH" "$BASE/public/tracks/$TRACK/streams")
  [ "$streams" != "{}" ] && break
  sleep 1
done
echo "streams: $streams"

# 6. stream it (a signed URL; Range works)
URL=$(echo "$streams" | json "['http_mp3_128_url']")
curl -sf -r 0-1023 -o /dev/null -w "first KiB: HTTP %{http_code}, %{size_download} bytes\n" "$URL"

# 7. errors are JSON with a machine-readable reason; rate limits come with headers
curl -s "$BASE/public/tracks/999999999?client_id=$CLIENT_ID"; echo
curl -s -D - -o /dev/null "$BASE/public/tracks?client_id=$CLIENT_ID" | grep -i '^x-ratelimit\|^ratelimit\|^retry-after' || true
