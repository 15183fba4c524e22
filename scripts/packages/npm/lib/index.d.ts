// Types of the authemu package (lib/index.cjs, lib/index.mjs).

/** A duration as authemu reads it: seconds, or text such as '5m', '1h30m', '-5m', '250ms'. */
export type Duration = number | string;

export interface StartOptions {
  /** A fixture file's path, or the fixture itself (written to a temporary JSON file). */
  config?: string | Record<string, unknown>;
  /** Flags after `--listen 127.0.0.1:0 --quiet`, e.g. ['--signing-algorithm', 'ES256']. */
  args?: string[];
  /** The server's whole environment (the test process's own is not passed on). */
  env?: Record<string, string | undefined>;
  /** The executable; default AUTHEMU_BIN when set and non-empty, else this package's binary. */
  bin?: string;
  /** How long to wait for the ready line, in ms (default 10000). */
  timeout?: number;
}

export interface ConnectOptions {
  /** Default AUTHEMU_URL. */
  url?: string;
  /** Default AUTHEMU_ISSUER, else the default environment's issuer from the admin API. */
  issuer?: string;
  /** Default ADMIN_TOKEN. */
  adminToken?: string;
  /** PEM of the CA to trust for an https url. */
  ca?: string | Uint8Array;
}

/** The ready line authemu prints on stdout once it answers. */
export interface ReadyLine {
  event: 'ready';
  url: string;
  issuer: string;
  tls_url?: string;
  tls_issuer?: string;
  ca_file?: string;
  [member: string]: unknown;
}

export interface TokenOptions {
  /** Default 'testing'. */
  client?: string;
  /** Default 'testing' for the client 'testing'; none sends client_id in the form (a public client). */
  secret?: string;
  scope?: string | string[];
  /** With password: the password grant; else client_credentials. */
  user?: string;
  password?: string;
  /** RFC 8707 resource indicator(s). */
  resource?: string | string[];
  audience?: string | string[];
}

/** The token endpoint's answer (RFC 6749 section 5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  [member: string]: unknown;
}

export type MintCase =
  | 'valid' | 'expired' | 'not_yet_valid' | 'wrong_audience' | 'wrong_issuer' | 'foreign_key' | 'alg_none'
  | 'bad_signature' | 'wrong_nonce' | 'wrong_at_hash';

/** POST /_authemu/mint members (README, Test controls). */
export interface MintOptions {
  case?: MintCase;
  client_id?: string;
  sub?: string;
  aud?: string | string[];
  iss?: string;
  scope?: string;
  typ?: string;
  user?: string;
  expires_in?: Duration;
  not_before?: Duration;
  signature?: 'valid' | 'tampered' | 'none' | 'foreign';
  environment?: string;
  token?: 'access_token' | 'id_token';
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  [member: string]: unknown;
}

export interface MintResponse {
  access_token?: string;
  id_token?: string;
  token_type?: string;
  expires_in: number;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export interface ClockState {
  environment: string;
  now: number;
  time: string;
  offset: number;
  frozen: boolean;
}

export interface Clock {
  freeze(): Promise<{ environments: ClockState[] }>;
  release(): Promise<{ environments: ClockState[] }>;
  /** Forward (or back, negative) by a duration: advance('5m'), advance(300). */
  advance(duration: Duration): Promise<{ environments: ClockState[] }>;
  /** To an instant: a Date, Unix seconds or 'YYYY-MM-DDTHH:MM:SSZ'. */
  set(time: Date | number | string): Promise<{ environments: ClockState[] }>;
  /** Back to where it started. */
  reset(): Promise<{ environments: ClockState[] }>;
  get(): Promise<{ environments: ClockState[] }>;
}

export type FaultEndpoint =
  | 'token' | 'introspect' | 'revoke' | 'userinfo' | 'jwks' | 'discovery' | 'authorize' | 'login' | 'end_session'
  | 'par' | 'device_authorization' | 'device';

export interface FaultOptions {
  endpoint: FaultEndpoint;
  error?: string;
  error_description?: string;
  status?: number;
  delay?: Duration;
  count?: number;
  client_id?: string;
  grant_type?: string;
  environment?: string;
}

export interface Fault extends Record<string, unknown> {
  id: string;
  endpoint: FaultEndpoint;
}

export interface Faults {
  add(fault: FaultOptions): Promise<Fault>;
  list(): Promise<Fault[]>;
  clear(): Promise<unknown>;
}

export interface JournalFilter {
  environment?: string;
  endpoint?: string;
  grant_type?: string;
  client_id?: string;
  outcome?: string;
  after?: number;
  limit?: number;
}

export interface JournalEntry {
  seq: number;
  time: string;
  environment: string;
  endpoint: string;
  method: string;
  grant_type?: string;
  client_id?: string;
  status: number;
  outcome: string;
  latency_us: number;
  fault?: string;
  [member: string]: unknown;
}

export interface LoginOptions {
  user?: string;
  subject?: string;
  claims?: Record<string, unknown>;
  error?: string;
  client_id?: string;
  environment?: string;
  count?: number;
}

export interface Logins {
  queue(login: LoginOptions): Promise<Record<string, unknown>>;
  list(): Promise<Record<string, unknown>[]>;
  clear(): Promise<unknown>;
}

export interface Devices {
  /** Approves a pending device authorization by its user code as user (id or username). */
  approve(userCode: string, user: string): Promise<Record<string, unknown>>;
  deny(userCode: string): Promise<Record<string, unknown>>;
  list(): Promise<Record<string, unknown>[]>;
}

/** One environment (a Formance stack) of the server. */
export interface AuthemuEnvironment {
  readonly name: string;
  readonly issuer: string;
  readonly clock: Clock;
  token(options?: TokenOptions): Promise<TokenResponse>;
  mint(options?: MintOptions): Promise<MintResponse>;
  reset(): Promise<unknown>;
}

export interface Authemu {
  /** Where to send requests, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** The default environment's issuer, e.g. http://localhost:41234/api/auth. */
  readonly issuer: string;
  readonly ready: ReadyLine;
  /** The server's process id (undefined for connectAuthemu). */
  readonly pid: number | undefined;
  /** All environments' clocks; environment(name).clock for one. */
  readonly clock: Clock;
  readonly faults: Faults;
  readonly logins: Logins;
  readonly devices: Devices;
  environment(name: string): AuthemuEnvironment;
  token(options?: TokenOptions): Promise<TokenResponse>;
  mint(options?: MintOptions): Promise<MintResponse>;
  journal(filter?: JournalFilter): Promise<JournalEntry[]>;
  reset(): Promise<unknown>;
  stop(): Promise<void>;
}

export class AuthemuError extends Error {
  /** The HTTP status of a refused call. */
  status?: number;
  /** Its body: {error, error_description} or {errorCode, errorMessage}. */
  body?: unknown;
}

export function startAuthemu(options?: StartOptions): Promise<Authemu>;
export function connectAuthemu(options?: ConnectOptions): Promise<Authemu>;
/** AUTHEMU_BIN when set and non-empty, else this package's binary for the platform (throws elsewhere). */
export function binaryPath(): string;
