// The sample single-page app of docs/spa-playwright.md, served for scripts/playwright.sh:
//   node server.mjs PORT ISSUER CLIENT_ID
// Serves index.html and app.js, /config.json ({issuer, client_id}: what a Vite app reads from
// VITE_* variables at build time) and index.html for any other path, as a SPA's dev server does.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [port, issuer, clientId] = process.argv.slice(2);
const here = new URL('.', import.meta.url);
const files = {
  '/app.js': ['text/javascript', readFileSync(new URL('app.js', here))],
  '/config.json': ['application/json', JSON.stringify({ issuer, client_id: clientId })],
};
const index = ['text/html; charset=utf-8', readFileSync(new URL('index.html', here))];

createServer((req, res) => {
  const [type, body] = files[new URL(req.url, 'http://x').pathname] ?? index;
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}).listen(Number(port), '127.0.0.1', () => console.log(`spa listening on ${port}`));
