import { setToken } from './api.ts';

/**
 * Sign-in through the Cognito managed login (authorization code + PKCE, no client secret): the ID
 * token it returns carries the user's group (role) and custom:pools / custom:agency (scope).
 */
export type CognitoConfig = { domain: string; clientId: string; redirectUri: string };

const VERIFIER = 'sertakan.pkce';

const b64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

export async function cognitoSignIn(c: CognitoConfig): Promise<void> {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem(VERIFIER, verifier);
  const challenge = b64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: 'openid email',
    code_challenge_method: 'S256',
    code_challenge: challenge,
  });
  location.assign(`${c.domain}/oauth2/authorize?${q}`);
}

/** On return from the managed login (`?code=`), trades the code for tokens and keeps the ID token. */
export async function finishCognitoSignIn(c: CognitoConfig): Promise<void> {
  const code = new URLSearchParams(location.search).get('code');
  const verifier = sessionStorage.getItem(VERIFIER);
  if (code === null || verifier === null) return;
  sessionStorage.removeItem(VERIFIER);
  const res = await fetch(`${c.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: c.clientId,
      code,
      redirect_uri: c.redirectUri,
      code_verifier: verifier,
    }),
  });
  if (res.ok) setToken(((await res.json()) as { id_token: string }).id_token);
  history.replaceState(null, '', '/');
}
