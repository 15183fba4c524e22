#include "cli/bench_tls.h"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <fstream>
#include <thread>
#include <vector>

#include "base/config_error.h"
#include "base/json.h"
#include "tls/certificate_authority.h"
#include "tls/handshake_ceiling.h"
#include "tls/tls_config.h"
#include "tls/tls_stream.h"

namespace authemu {

namespace {

using Wall = std::chrono::steady_clock;

double ms_since(Wall::time_point t) {
  return std::chrono::duration<double, std::milli>(Wall::now() - t).count();
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

int64_t in_5s() {
  return steady_clock().now_ms() + 5000;
}

// The client ends of the server's socketpairs, handed to the client thread; -1 ends it.
class Handoff {
public:
  void push(int fd) {
    std::lock_guard<std::mutex> lock(mutex_);
    fds_.push_back(fd);
    ready_.notify_one();
  }
  int pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !fds_.empty(); });
    int fd = fds_.front();
    fds_.pop_front();
    return fd;
  }

private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<int> fds_;
};

struct Closer {
  int fd;
  ~Closer() { ::close(fd); }
};

struct Run {
  long handshakes = 0, resumed = 0;
  double seconds = 0, server_cpu = 0, client_cpu = 0;
  std::string version, error;
};

// The client thread: a handshake on each handed socket, a byte read (a TLS 1.3 ticket comes
// before it), and with resume the session kept for the next connection. CPU time from the
// second connection on (the first is the warm-up).
void run_client(const TlsClientConfig& config, bool resume, Handoff& handoff, Run& run) {
  TlsSession session;
  double start = thread_cpu_seconds();
  bool warm = false;
  for (int fd; (fd = handoff.pop()) >= 0;) {
    Closer closer{fd};
    if (!run.error.empty()) continue; // after a failure, only close what the server still hands over
    try {
      TlsStream c = TlsStream::client(config, fd, "localhost", resume && !session.empty() ? &session : nullptr);
      c.handshake(in_5s(), steady_clock());
      char byte;
      if (c.read_some(&byte, 1, in_5s(), steady_clock()) != 1) throw TlsError(TlsError::Kind::closed, "no byte");
      if (resume) session = c.session();
    } catch (const std::exception& e) {
      run.error = std::string("client: ") + e.what();
    }
    if (!warm) start = thread_cpu_seconds();
    warm = true;
  }
  run.client_cpu = thread_cpu_seconds() - start;
}

// Connections for `seconds` (at least one), after one untimed warm-up whose ticket the first
// resumed connection uses: the server side on this thread, the client on its own.
Run run_handshakes(const TlsServerConfig& server, const TlsClientConfig& client, bool resume, double seconds) {
  Run run, client_run;
  Handoff handoff;
  std::thread client_thread(run_client, std::cref(client), resume, std::ref(handoff), std::ref(client_run));
  auto one = [&] {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw TlsError(TlsError::Kind::failed, "socketpair");
    handoff.push(fds[1]);
    Closer closer{fds[0]};
    TlsStream s = TlsStream::server(server, fds[0]);
    s.handshake(in_5s(), steady_clock());
    if (!s.write_all("x", in_5s(), steady_clock())) throw TlsError(TlsError::Kind::failed, s.error());
    run.version = s.version();
    return s.resumed();
  };
  try {
    one();
    auto start = Wall::now();
    auto until = start + std::chrono::duration<double>(seconds);
    double cpu = thread_cpu_seconds();
    do {
      run.resumed += one() ? 1 : 0;
      ++run.handshakes;
    } while (Wall::now() < until);
    run.server_cpu = thread_cpu_seconds() - cpu;
    run.seconds = std::chrono::duration<double>(Wall::now() - start).count();
  } catch (const std::exception& e) {
    run.error = std::string("server: ") + e.what();
  }
  handoff.push(-1);
  client_thread.join();
  run.client_cpu = client_run.client_cpu;
  if (!client_run.error.empty()) run.error = client_run.error; // the cause; the server saw the close
  return run;
}

// What this process holds now: bytes in use on the heap (every arena), and its resident set.
struct Memory {
  double heap = 0, rss = 0;
  static Memory now() {
    Memory m;
    m.heap = double(mallinfo2().uordblks);
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    m.rss = double(resident) * double(::sysconf(_SC_PAGESIZE));
    return m;
  }
};

// n server connections left idle after their handshake and first byte (the clients gone, as
// keep-alive connections between requests hold nothing more): heap and RSS per connection.
Json idle_connections(const TlsServerConfig& server, const TlsClientConfig& client, long n) {
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0) n = std::min<long>(n, long(files.rlim_cur) - 64);
  Handoff handoff;
  Run client_run;
  std::thread client_thread(run_client, std::cref(client), false, std::ref(handoff), std::ref(client_run));
  std::vector<TlsStream> held;
  std::vector<int> fds_held;
  held.reserve(size_t(n));
  fds_held.reserve(size_t(n));
  Memory before = Memory::now();
  for (long i = 0; i < n; ++i) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) break;
    handoff.push(fds[1]);
    fds_held.push_back(fds[0]);
    held.push_back(TlsStream::server(server, fds[0]));
    held.back().handshake(in_5s(), steady_clock());
    held.back().write_all("x", in_5s(), steady_clock());
  }
  handoff.push(-1);
  client_thread.join();
  Memory after = Memory::now();
  double count = double(held.size());
  held.clear();
  for (int fd : fds_held)
    ::close(fd);
  JsonObject o;
  o["connections"] = json_int(int64_t(count));
  o["heap_bytes_each"] = Json(count > 0 ? (after.heap - before.heap) / count : 0.0);
  o["rss_bytes_each"] = Json(count > 0 ? (after.rss - before.rss) / count : 0.0);
  return Json(o);
}

Json describe(const Run& run) {
  double n = double(run.handshakes);
  JsonObject o;
  o["handshakes"] = json_int(run.handshakes);
  o["resumed"] = json_int(run.resumed);
  o["version"] = json_string(run.version);
  o["seconds"] = Json(run.seconds);
  o["per_second"] = Json(run.seconds > 0 ? n / run.seconds : 0.0);
  o["server_cpu_ms"] = Json(n > 0 ? run.server_cpu * 1000 / n : 0.0);
  o["server_per_core_second"] = Json(run.server_cpu > 0 ? n / run.server_cpu : 0.0);
  o["client_cpu_ms"] = Json(n > 0 ? run.client_cpu * 1000 / n : 0.0);
  return Json(o);
}

Json describe(const HandshakeCeiling& c) {
  JsonObject o;
  o["group"] = json_string(c.group);
  o["key_generation_us"] = Json(c.key_generation_us);
  o["shared_secret_us"] = Json(c.shared_secret_us);
  o["sign_us"] = Json(c.sign_us);
  o["per_second"] = Json(c.per_second());
  return Json(o);
}

// The names start-up's default certificate carries without configuration: localhost, its
// subdomains, the loopback addresses and this machine's host name (left out if it is no DNS name).
TlsNames default_names() {
  std::vector<std::string> names = {"localhost", "*.localhost", "127.0.0.1", "::1"};
  char host[256] = "";
  if (::gethostname(host, sizeof host - 1) == 0 && host[0]) {
    try {
      names.push_back(host);
      return TlsNames::parse(names, "bench-tls");
    } catch (const ConfigError&) {
      names.pop_back();
    }
  }
  return TlsNames::parse(names, "bench-tls");
}

} // namespace

int bench_tls(const Options& options, std::ostream& out, std::ostream& err) {
  SystemClock clock;
  auto t0 = Wall::now();
  TlsNames names = default_names();
  CertificateAuthority ca = CertificateAuthority::generate(names, clock);
  double ca_ms = ms_since(t0);
  auto t1 = Wall::now();
  PemCredentials leaf = ca.issue(names, clock);
  double leaf_ms = ms_since(t1);
  auto t2 = Wall::now();
  TlsIdentity identity = TlsIdentity::issued(leaf.chain, leaf.key); // as start-up does, client roots too
  TlsTrust client_roots;
  client_roots.add_pem(ca.certificate_pem(), "ca");
  client_roots.add_pem(ca.client_ca_pem(), "client ca");
  TlsServerConfig server(identity, std::move(client_roots));
  double config_ms = ms_since(t2);

  auto client_config = [&](std::optional<TlsVersion> only, std::optional<TlsIdentity> certificate = std::nullopt) {
    TlsTrust trust;
    trust.add_pem(ca.certificate_pem(), "ca");
    return TlsClientConfig(std::move(trust), only, std::move(certificate));
  };
  TlsClientConfig client13 = client_config(std::nullopt), client12 = client_config(TlsVersion::tls1_2);
  ClientCertificateRequest request;
  request.cn = "bench-tls";
  IssuedClientCertificate issued = ca.issue_client(request, clock);
  TlsClientConfig with_certificate = client_config(std::nullopt, TlsIdentity::issued(issued.chain, issued.key));
  double seconds = options.bench_seconds;
  Run full = run_handshakes(server, client13, false, seconds);
  Run resumed = run_handshakes(server, client13, true, seconds);
  Run tls12 = run_handshakes(server, client12, false, seconds);
  // RFC 8705: the client's Certificate and CertificateVerify read and verified, and the certificate
  // read into its values; resumed, the record of its ticket.
  Run mtls = run_handshakes(server, with_certificate, false, seconds);
  Run mtls_resumed = run_handshakes(server, with_certificate, true, seconds);
  for (const Run* r : {&full, &resumed, &tls12, &mtls, &mtls_resumed}) {
    if (!r->error.empty()) {
      err << "authemu bench-tls: " << r->error << "\n";
      return 1;
    }
  }
  Json idle = idle_connections(server, client13, seconds > 0 ? 1000 : 10);
  HandshakeCeiling ceiling = measure_handshake_ceiling(identity, TlsGroup::x25519, seconds);
  HandshakeCeiling p256 = measure_handshake_ceiling(identity, TlsGroup::secp256r1, seconds);

  JsonObject generation;
  generation["ca"] = Json(ca_ms);
  generation["leaf"] = Json(leaf_ms);
  generation["server_config"] = Json(config_ms);
  generation["total"] = Json(ca_ms + leaf_ms + config_ms);
  JsonObject o;
  o["seconds"] = Json(seconds);
  o["generation_ms"] = Json(generation);
  o["tls13_full"] = describe(full);
  o["tls13_resumed"] = describe(resumed);
  o["tls12_full"] = describe(tls12);
  o["tls13_full_client_certificate"] = describe(mtls);
  o["tls13_resumed_client_certificate"] = describe(mtls_resumed);
  o["idle_server_connection"] = idle;
  o["ceiling"] = describe(ceiling);
  o["ceiling_secp256r1"] = describe(p256);
  // The server side's full TLS 1.3 handshakes per core-second against the ceiling's operations alone.
  double per_core = full.server_cpu > 0 ? double(full.handshakes) / full.server_cpu : 0.0;
  o["fraction"] = Json(ceiling.per_second() > 0 ? per_core / ceiling.per_second() : 0.0);
  out << dump_json(Json(o)) << std::endl;
  return 0;
}

} // namespace authemu
