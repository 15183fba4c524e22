// A single-page app's sign-in, as a library such as oidc-client-ts does it: authorization code with
// PKCE S256 (WebCrypto), the code exchanged at the token endpoint from the browser (CORS), the ID
// token's iss, aud and nonce checked, the user's name shown. Signed out, it starts the sign-in at
// once, as a route that requires a user does; an error answer is shown, never retried.
const status = document.querySelector('#status');
const show = (text) => { status.textContent = text; };
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = () => b64url(crypto.getRandomValues(new Uint8Array(32)));
const claims = (jwt) => JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));

async function main() {
  const config = await (await fetch('/config.json')).json();
  const discovery = await (await fetch(`${config.issuer}/.well-known/openid-configuration`)).json();
  const redirectUri = `${location.origin}/callback`;
  const params = new URLSearchParams(location.search);

  if (location.pathname === '/callback') {
    const sent = JSON.parse(sessionStorage.getItem('signin') ?? '{}');
    sessionStorage.removeItem('signin');
    if (params.get('error')) return show(`Sign-in failed: ${params.get('error')}: ${params.get('error_description')}`);
    if (!sent.state || params.get('state') !== sent.state) return show('Sign-in failed: state mismatch');
    const res = await fetch(discovery.token_endpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri,
        client_id: config.client_id, code_verifier: sent.verifier,
      }),
    });
    const tokens = await res.json();
    if (!res.ok) return show(`Sign-in failed: ${tokens.error}: ${tokens.error_description}`);
    const id = claims(tokens.id_token);
    if (id.iss !== config.issuer || ![].concat(id.aud).includes(config.client_id) || id.nonce !== sent.nonce)
      return show('Sign-in failed: the ID token is not for this app');
    sessionStorage.setItem('user', JSON.stringify(id));
    history.replaceState(null, '', '/');
  }

  const user = JSON.parse(sessionStorage.getItem('user') ?? 'null');
  if (user) return show(`Signed in as ${user.name}`);

  const signin = { state: random(), nonce: random(), verifier: random() };
  sessionStorage.setItem('signin', JSON.stringify(signin));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(signin.verifier)));
  location.assign(`${discovery.authorization_endpoint}?${new URLSearchParams({
    response_type: 'code', client_id: config.client_id, redirect_uri: redirectUri,
    scope: 'openid profile email', state: signin.state, nonce: signin.nonce,
    code_challenge: challenge, code_challenge_method: 'S256',
  })}`);
}

main().catch((e) => show(`Sign-in failed: ${e.message}`));
