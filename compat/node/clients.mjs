// Node clients of token-issuer, unchanged, against make run's server: jose verifying a token with the JWKS and the
// issuer that discovery names, openid-client's discovery and client_credentials grant, with a secret, with
// private_key_jwt, and with a DPoP-bound token, and oauth4webapi's RFC 9068 validateJwtAccessToken against a second
// server with ACCESS_TOKEN_PROFILE=rfc9068. Prints "PASS name" or "FAIL name: reason" per check.
import * as client from 'openid-client';
import * as oauth from 'oauth4webapi';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, importPKCS8, jwtVerify } from 'jose';

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
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(meta.jwks_uri)), { issuer: meta.issuer });
  if (expectedAlg && protectedHeader.alg !== expectedAlg) {
    throw new Error(`token signed with ${protectedHeader.alg}, expected ${expectedAlg}`);
  }
  return payload;
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

// private_key_jwt with the key file of `tokenctl key create`: the client id is the service user, the key's kid goes in
// the assertion's header. openid-client sets aud = the issuer, exp = iat + 60 s and a fresh jti.
const keyFile = JSON.parse(readFileSync(process.env.COMPAT_KEY_FILE, 'utf8'));
const privateKeyJwt = async () => client.PrivateKeyJwt(
  { key: await importPKCS8(keyFile.private_key, 'RS256'), kid: keyFile.kid });
const insecure = { execute: [client.allowInsecureRequests] };

await check('node/openid-client-clientCredentialsGrant-PrivateKeyJwt', async () => {
  const config = await client.discovery(new URL(base), keyFile.principal_id, undefined, await privateKeyJwt(), insecure);
  const tokens = await client.clientCredentialsGrant(config);
  const claims = await verify(tokens.access_token, meta);
  if (claims.sub !== keyFile.principal_id) throw new Error('the token is not for the key\'s service user');
});

// DPoP: a fresh ES256 key pair per client; the token must be bound to it (cnf.jkt = its RFC 7638 thumbprint).
for (const [name, auth] of [
  ['ClientSecretBasic', async () => client.ClientSecretBasic(process.env.COMPAT_CLIENT_SECRET)],
  ['PrivateKeyJwt', privateKeyJwt],
]) {
  await check(`node/openid-client-clientCredentialsGrant-DPoP-${name}`, async () => {
    const clientId = name === 'PrivateKeyJwt' ? keyFile.principal_id : process.env.COMPAT_CLIENT_ID;
    const config = await client.discovery(new URL(base), clientId, undefined, await auth(), insecure);
    const keyPair = await client.randomDPoPKeyPair('ES256');
    const tokens = await client.clientCredentialsGrant(config, {}, { DPoP: client.getDPoPHandle(config, keyPair) });
    // oauth4webapi lower-cases token_type.
    if (tokens.token_type !== 'dpop') throw new Error(`token_type ${tokens.token_type}, expected DPoP`);
    const claims = await verify(tokens.access_token, meta);
    const jkt = await calculateJwkThumbprint(await crypto.subtle.exportKey('jwk', keyPair.publicKey));
    if (claims.cnf?.jkt !== jkt) throw new Error('cnf.jkt is not the thumbprint of the DPoP key');
  });
}

// RFC 9068: oauth4webapi's resource-server validation wants typ at+jwt, an aud naming this resource server, and
// client_id, iat, jti, sub. The second server (COMPAT_RFC9068_BASE) issues such tokens; the first (the default
// profile) issues typ JWT, which the same call refuses: neither default fits every verifier.
const basic = `Basic ${Buffer.from(`${encodeURIComponent(process.env.COMPAT_CLIENT_ID)}:${encodeURIComponent(process.env.COMPAT_CLIENT_SECRET)}`).toString('base64')}`;
const audience = process.env.COMPAT_AUDIENCE;

async function tokenFrom(tokenEndpoint, resource) {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (resource) body.set('resource', resource);
  const response = await fetch(tokenEndpoint, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic }, body,
  });
  if (!response.ok) throw new Error(`token status ${response.status}: ${await response.text()}`);
  return (await response.json()).access_token;
}

async function authorizationServer(issuer) {
  const options = { algorithm: 'oidc', [oauth.allowInsecureRequests]: true };
  return oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), options));
}

const resourceRequest = (token) => new Request('https://resource.example/orders', { headers: { Authorization: `Bearer ${token}` } });

if (process.env.COMPAT_RFC9068_BASE) {
  const rfc9068Meta = await fetch(`${process.env.COMPAT_RFC9068_BASE}/.well-known/openid-configuration`).then((r) => r.json());

  await check('node/oauth4webapi-validateJwtAccessToken-rfc9068-profile', async () => {
    const as = await authorizationServer(rfc9068Meta.issuer);
    const token = await tokenFrom(rfc9068Meta.token_endpoint, audience);
    const claims = await oauth.validateJwtAccessToken(as, resourceRequest(token), audience, { [oauth.allowInsecureRequests]: true });
    if (decodeProtectedHeader(token).typ !== 'at+jwt') throw new Error(`typ ${decodeProtectedHeader(token).typ}`);
    if (expectedAlg && decodeProtectedHeader(token).alg !== expectedAlg) throw new Error(`alg ${decodeProtectedHeader(token).alg}, expected ${expectedAlg}`);
    if (claims.client_id !== process.env.COMPAT_CLIENT_ID) throw new Error(`client_id ${claims.client_id}`);
  });

  await check('node/oauth4webapi-validateJwtAccessToken-refuses-default-profile', async () => {
    const as = await authorizationServer(meta.issuer);
    const token = await tokenFrom(meta.token_endpoint, audience);
    try {
      await oauth.validateJwtAccessToken(as, resourceRequest(token), audience, { [oauth.allowInsecureRequests]: true });
    } catch (e) {
      if (!/typ|type/i.test(String(e && (e.message || e)))) throw new Error(`refused, but not for its typ: ${e && e.message}`);
      return;
    }
    throw new Error('accepted a typ JWT token as an RFC 9068 access token');
  });
}
