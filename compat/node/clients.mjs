// Node clients of token-issuer, unchanged, against make run's server: jose verifying a token with the JWKS and the
// issuer that discovery names, and openid-client's discovery and client_credentials grant. Prints "PASS name" or
// "FAIL name: reason" per check.
import * as client from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

const base = process.env.COMPAT_BASE;
const expectedAlg = process.env.COMPAT_ALG || '';

async function check(name, run) {
  try {
    await run();
    console.log(`PASS ${name}`);
  } catch (e) {
    console.log(`FAIL ${name}: ${String(e && (e.stack || e)).split('\n')[0].slice(0, 300)}${e && e.cause ? ` (cause: ${String(e.cause.message || e.cause).slice(0, 200)})` : ''}`);
  }
}

async function metadata() {
  const response = await fetch(`${base}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery status ${response.status}`);
  return response.json();
}

async function verify(token, meta) {
  const { protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(meta.jwks_uri)), { issuer: meta.issuer });
  if (expectedAlg && protectedHeader.alg !== expectedAlg) {
    throw new Error(`token signed with ${protectedHeader.alg}, expected ${expectedAlg}`);
  }
}

const meta = await metadata();

await check('node/jose-createRemoteJWKSet-jwtVerify', async () => {
  const response = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${encodeURIComponent(process.env.COMPAT_CLIENT_ID)}:${encodeURIComponent(process.env.COMPAT_CLIENT_SECRET)}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  if (!response.ok) throw new Error(`token status ${response.status}`);
  const { access_token: token } = await response.json();
  decodeProtectedHeader(token);
  await verify(token, meta);
});

// openid-client refuses http:// unless told: allowInsecureRequests is for make run's plain HTTP only.
for (const [name, auth] of [['ClientSecretPost', client.ClientSecretPost], ['ClientSecretBasic', client.ClientSecretBasic]]) {
  await check(`node/openid-client-discovery-clientCredentialsGrant-${name}`, async () => {
    const config = await client.discovery(new URL(base), process.env.COMPAT_CLIENT_ID, undefined,
      auth(process.env.COMPAT_CLIENT_SECRET), { execute: [client.allowInsecureRequests] });
    const tokens = await client.clientCredentialsGrant(config);
    await verify(tokens.access_token, meta);
  });
}
