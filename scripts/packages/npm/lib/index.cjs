'use strict';
// authemu for Node test suites: finds the static binary this package carries for the machine (or
// AUTHEMU_BIN), starts it on a free port, reads its ready line, and drives the admin API (clock,
// mint, faults, journal, sign-in queue, devices, reset). No dependency beyond Node itself.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

// process.arch -> the file under bin/ (linux only: the binaries are static Linux executables).
const BINARIES = { x64: 'authemu-linux-x64', arm64: 'authemu-linux-arm64' };
const STDERR_KEPT = 16 * 1024;

class AuthemuError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'AuthemuError';
    this.status = details.status;
    this.body = details.body;
  }
}

// AUTHEMU_BIN when set and non-empty, else this package's binary for the platform.
function binaryPath() {
  const override = process.env.AUTHEMU_BIN;
  if (override) return override;
  const name = process.platform === 'linux' ? BINARIES[process.arch] : undefined;
  if (!name) {
    throw new AuthemuError(
      `authemu: this package carries binaries for linux x64 and arm64, not ${process.platform} ${process.arch}; ` +
        'set AUTHEMU_BIN to an authemu executable (built from source, or run the image and use connectAuthemu)');
  }
  const file = path.join(__dirname, '..', 'bin', name);
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    fs.chmodSync(file, 0o755); // a package manager that dropped the mode bits
  }
  return file;
}

// Servers started here and not stopped yet: stopped when this process exits.
const running = new Set();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const emu of running) emu._kill();
  });
}

function stringEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env || {})) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

// --admin-token X / --admin-token=X in args, else ADMIN_TOKEN in env: what admin calls must send.
function adminTokenOf(args, env) {
  let token = env.ADMIN_TOKEN;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--admin-token' && i + 1 < args.length) token = args[i + 1];
    else if (args[i].startsWith('--admin-token=')) token = args[i].slice('--admin-token='.length);
  }
  return token || undefined;
}

function errorText(body) {
  if (body && typeof body === 'object') {
    if (body.error) return body.error + (body.error_description ? `: ${body.error_description}` : '');
    if (body.errorCode) return body.errorCode + (body.errorMessage ? `: ${body.errorMessage}` : '');
  }
  return String(body).slice(0, 300);
}

// The HTTP side: one keep-alive agent per server, JSON in and out.
class Client {
  constructor(url, { adminToken, ca } = {}) {
    this.url = url;
    this.adminToken = adminToken;
    const secure = url.startsWith('https:');
    this.transport = secure ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, ...(secure && ca ? { ca } : {}) });
  }

  // request(METHOD, path, {json, form, headers, query}) -> {status, body}; body parsed when JSON.
  request(method, pathname, { json, form, headers = {}, query } = {}) {
    const target = new URL(pathname, this.url);
    for (const [k, v] of Object.entries(query || {})) {
      if (v !== undefined && v !== null) target.searchParams.set(k, String(v));
    }
    let payload;
    const h = { ...headers };
    if (json !== undefined) {
      payload = Buffer.from(JSON.stringify(json));
      h['content-type'] = 'application/json';
    } else if (form !== undefined) {
      payload = Buffer.from(form.toString());
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (payload) h['content-length'] = payload.length;
    return this._send(method, target, h, payload, true);
  }

  _send(method, target, headers, payload, mayRetry) {
    return new Promise((resolve, reject) => {
      const req = this.transport.request(target, { method, headers, agent: this.agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body = text;
          if (/json/.test(res.headers['content-type'] || '') && text) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode, body });
        });
      });
      req.on('error', (e) => {
        // A kept-alive connection the server closed as the request left: once more on a new one.
        if (mayRetry && req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
          resolve(this._send(method, target, headers, payload, false));
        } else {
          reject(new AuthemuError(`authemu: ${method} ${target.pathname}: ${e.message}`));
        }
      });
      req.end(payload);
    });
  }

  // An admin API call: the answer's JSON, or an AuthemuError naming the Formance error.
  async admin(method, pathname, { json, query } = {}) {
    const headers = this.adminToken ? { authorization: `Bearer ${this.adminToken}` } : {};
    const { status, body } = await this.request(method, '/_authemu' + pathname, { json, query, headers });
    if (status >= 300) {
      throw new AuthemuError(`authemu: ${method} /_authemu${pathname}: ${status} ${errorText(body)}`, { status, body });
    }
    return body;
  }

  close() {
    this.agent.destroy();
  }
}

class Clock {
  constructor(client, environment) {
    this._client = client;
    this._environment = environment;
  }
  _move(body) {
    return this._client.admin('POST', '/clock', { json: { ...body, ...this._env() } });
  }
  _env() {
    return this._environment ? { environment: this._environment } : {};
  }
  freeze() {
    return this._move({ freeze: true });
  }
  release() {
    return this._move({ freeze: false });
  }
  advance(duration) {
    return this._move({ advance: duration });
  }
  set(time) {
    return this._move({ set: time instanceof Date ? Math.floor(time.getTime() / 1000) : time });
  }
  reset() {
    return this._client.admin('DELETE', '/clock', { query: this._env() });
  }
  get() {
    return this._client.admin('GET', '/clock', { query: this._env() });
  }
}

// A queue of the admin API (/_authemu/faults, /_authemu/logins): add to it, list it, clear it.
class AdminQueue {
  constructor(client, name) {
    this._client = client;
    this._name = name;
  }
  _add(entry) {
    return this._client.admin('POST', `/${this._name}`, { json: { ...entry } });
  }
  async list() {
    return (await this._client.admin('GET', `/${this._name}`))[this._name];
  }
  clear() {
    return this._client.admin('DELETE', `/${this._name}`);
  }
}

class Faults extends AdminQueue {
  constructor(client) {
    super(client, 'faults');
  }
  add(fault) {
    return this._add(fault);
  }
}

class Logins extends AdminQueue {
  constructor(client) {
    super(client, 'logins');
  }
  queue(login) {
    return this._add(login);
  }
}

class Devices {
  constructor(client) {
    this._client = client;
  }
  approve(userCode, user) {
    return this._client.admin('POST', `/devices/${encodeURIComponent(userCode)}/approve`, { json: { user } });
  }
  deny(userCode) {
    return this._client.admin('POST', `/devices/${encodeURIComponent(userCode)}/deny`);
  }
  async list() {
    return (await this._client.admin('GET', '/devices')).devices;
  }
}

// One environment (a Formance stack): its issuer, and token, mint, clock and reset scoped to it.
class Environment {
  constructor(client, name, issuer) {
    this._client = client;
    this.name = name;
    this.issuer = issuer;
    this.clock = new Clock(client, name);
  }

  // A token from this environment's token endpoint: the password grant when user is given, else
  // client_credentials; the client authenticates with HTTP Basic when it has a secret.
  async token({ client = 'testing', secret, scope, user, password, resource, audience } = {}) {
    if (secret === undefined && client === 'testing') secret = 'testing';
    const form = new URLSearchParams();
    if (user !== undefined) {
      if (password === undefined) throw new TypeError('authemu: token: user needs password');
      form.set('grant_type', 'password');
      form.set('username', user);
      form.set('password', password);
    } else {
      form.set('grant_type', 'client_credentials');
    }
    if (scope !== undefined) form.set('scope', Array.isArray(scope) ? scope.join(' ') : scope);
    for (const r of [].concat(resource ?? [])) form.append('resource', r);
    for (const a of [].concat(audience ?? [])) form.append('audience', a);
    const headers = {};
    if (secret !== undefined) {
      // RFC 6749 section 2.3.1: both parts form-encoded before Basic
      const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
      headers.authorization = 'Basic ' + Buffer.from(`${enc(client)}:${enc(secret)}`).toString('base64');
    } else {
      form.set('client_id', client);
    }
    const tokenPath = new URL(this.issuer).pathname.replace(/\/$/, '') + '/oauth/token';
    const { status, body } = await this._client.request('POST', tokenPath, { form, headers });
    if (status !== 200) {
      throw new AuthemuError(`authemu: token (${this.name}): ${status} ${errorText(body)}`, { status, body });
    }
    return body;
  }

  // POST /_authemu/mint: {access_token (or id_token), token_type, expires_in, header, claims}.
  mint(fields = {}) {
    return this._client.admin('POST', '/mint', { json: { environment: this.name, ...fields } });
  }

  reset() {
    return this._client.admin('POST', '/reset', { json: { environment: this.name } });
  }
}

class Authemu {
  constructor(client, ready, environments, process_) {
    this._client = client;
    this._ready = ready;
    this._process = process_;
    this._environments = environments; // name -> issuer, or an Error saying why unknown
    this._default = new Environment(client, 'default', ready.issuer);
    this.url = ready.url;
    this.issuer = ready.issuer;
    this.ready = ready;
    this.clock = new Clock(client);
    this.faults = new Faults(client);
    this.logins = new Logins(client);
    this.devices = new Devices(client);
  }

  get pid() {
    return this._process ? this._process.child.pid : undefined;
  }

  environment(name) {
    if (this._environments instanceof Error) throw this._environments;
    const issuer = this._environments.get(name);
    if (!issuer) {
      throw new AuthemuError(`authemu: no environment '${name}' (there are: ${[...this._environments.keys()].join(', ')})`);
    }
    return new Environment(this._client, name, issuer);
  }

  token(options) {
    return this._default.token(options);
  }

  // POST /_authemu/mint; without environment in fields, a token of the default environment.
  mint(fields = {}) {
    return this._client.admin('POST', '/mint', { json: { ...fields } });
  }

  async journal(filter = {}) {
    return (await this._client.admin('GET', '/journal', { query: filter })).entries;
  }

  reset() {
    return this._client.admin('POST', '/reset');
  }

  // Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it; a connected one only
  // closes its connections.
  async stop() {
    this._client.close();
    const p = this._process;
    if (!p) return;
    running.delete(this);
    if (p.child.exitCode === null && p.child.signalCode === null) {
      const exited = new Promise((resolve) => p.child.once('exit', resolve));
      p.child.kill('SIGTERM');
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    p.cleanup();
  }

  _kill() {
    const p = this._process;
    if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    if (p) p.cleanup();
  }
}

// Each environment's issuer from GET /_authemu (an Error when the admin API does not answer).
async function environmentsOf(client) {
  try {
    const index = await client.admin('GET', '');
    return new Map(index.environments.map((e) => [e.name, e.issuer]));
  } catch (e) {
    return new AuthemuError(`authemu: the environments are unknown: ${e.message}`);
  }
}

function writeConfig(config) {
  if (typeof config === 'string') return { file: config, cleanup() {} };
  // An object is the fixture itself: written as JSON, which the YAML loader reads.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authemu-'));
  const file = path.join(dir, 'fixtures.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// Starts authemu on 127.0.0.1:0 (--quiet) with ARGS after, and resolves once its ready line is read
// (the server answers from then on). The server sees only the variables of env: names such as
// BASE_URL, CONFIG, LISTEN and DEBUG are common in an application's own environment.
async function startAuthemu({ config, args = [], env = {}, bin, timeout = 10000 } = {}) {
  const file = bin || binaryPath();
  const childEnv = stringEnv(env);
  const argv = ['--listen', '127.0.0.1:0', '--quiet'];
  const cfg = config !== undefined && config !== null ? writeConfig(config) : { cleanup() {} };
  if (cfg.file) argv.push('--config', cfg.file);
  argv.push(...args.map(String));
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-STDERR_KEPT);
  });
  let cleaned = false;
  const proc = {
    child,
    cleanup() {
      if (!cleaned) cfg.cleanup();
      cleaned = true;
    },
  };
  let ready;
  try {
    ready = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new AuthemuError(`authemu (${file}) printed no ready line within ${timeout} ms: ${stderr.trim()}`));
      }, timeout);
      const fail = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      child.on('error', (e) => fail(new AuthemuError(`authemu (${file}) could not start: ${e.message}`)));
      child.on('exit', (code, signal) => {
        // stderr may still be arriving: give it a moment to be read.
        setImmediate(() =>
          fail(new AuthemuError(`authemu (${file}) exited (${signal || `code ${code}`}) before its ready line: ${stderr.trim()}`)));
      });
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', function onData(d) {
        out += d;
        const nl = out.indexOf('\n');
        if (nl < 0) return;
        child.stdout.off('data', onData);
        child.stdout.resume(); // anything after the ready line is drained
        clearTimeout(timer);
        try {
          const line = JSON.parse(out.slice(0, nl));
          if (line.event !== 'ready') throw new Error(`not a ready line: ${out.slice(0, nl)}`);
          resolve(line);
        } catch (e) {
          child.kill('SIGKILL');
          reject(new AuthemuError(`authemu (${file}): ${e.message}`));
        }
      });
    });
  } catch (e) {
    proc.cleanup();
    throw e;
  }
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  child.on('error', () => {});
  // A forgotten stop() does not keep Node running; the exit hook still stops the server.
  child.unref();
  child.stdout.unref();
  child.stderr.unref();
  const ca = ready.ca_file ? fs.readFileSync(ready.ca_file) : undefined;
  const client = new Client(ready.url, { adminToken: adminTokenOf(argv, childEnv), ca });
  const emu = new Authemu(client, ready, await environmentsOf(client), proc);
  installExitHook();
  running.add(emu);
  return emu;
}

// The same API for a server started elsewhere (a globalSetup, a container): url and issuer default
// to AUTHEMU_URL and AUTHEMU_ISSUER, adminToken to ADMIN_TOKEN. stop() closes connections only.
async function connectAuthemu({
  url = process.env.AUTHEMU_URL,
  issuer = process.env.AUTHEMU_ISSUER,
  adminToken = process.env.ADMIN_TOKEN,
  ca,
} = {}) {
  if (!url) throw new AuthemuError('authemu: connectAuthemu needs url (or AUTHEMU_URL)');
  const client = new Client(url, { adminToken: adminToken || undefined, ca });
  const environments = await environmentsOf(client);
  if (!issuer) {
    if (environments instanceof Error) {
      throw new AuthemuError(`authemu: connectAuthemu needs issuer (or AUTHEMU_ISSUER): ${environments.message}`);
    }
    issuer = environments.get('default');
  }
  return new Authemu(client, { event: 'ready', url, issuer }, environments, undefined);
}

module.exports = { startAuthemu, connectAuthemu, binaryPath, AuthemuError };
