#include "http/http_server.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "http/app.h"
#include "base/config_error.h"
#include "base/log.h"

namespace authemu {

struct HttpServer::Impl {
  httplib::Server server;
  ServerLimits limits;
  bool log_requests = false;
};

namespace {

// A worker pool that starts small and grows on demand up to a ceiling: creating all workers at
// start (httplib's ThreadPool) cost ~2 ms of the cold start for 32 threads. Workers stay once made;
// each keep-alive connection holds one while it is open.
class GrowingPool final : public httplib::TaskQueue {
 public:
  GrowingPool(size_t initial, size_t max) : max_(max) {
    std::lock_guard<std::mutex> lock(mutex_);
    while (threads_.size() < std::min(initial, max_)) spawn_locked();
  }

  bool enqueue(std::function<void()> fn) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (shutdown_) return false;
      jobs_.push_back(std::move(fn));
      if (jobs_.size() > idle_ && threads_.size() < max_) spawn_locked();
    }
    cond_.notify_one();
    return true;
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      shutdown_ = true;
    }
    cond_.notify_all();
    for (auto& t : threads_) t.join();  // no spawns after shutdown_, so threads_ is stable
  }

 private:
  void spawn_locked() {
    ++idle_;
    threads_.emplace_back([this] { work(); });
  }

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      cond_.wait(lock, [&] { return shutdown_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // shut down, with every queued job done
      std::function<void()> fn = std::move(jobs_.front());
      jobs_.pop_front();
      --idle_;
      lock.unlock();
      fn();
      lock.lock();
      ++idle_;
    }
  }

  const size_t max_;
  std::mutex mutex_;
  std::condition_variable cond_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool shutdown_ = false;
};

HttpRequest convert(const httplib::Request& r) {
  HttpRequest req;
  req.method = r.method;
  req.path = r.path;
  size_t q = r.target.find('?');
  if (q != std::string::npos) req.query = r.target.substr(q + 1);
  req.headers.reserve(r.headers.size());
  for (const auto& [k, v] : r.headers) {
    // httplib adds these itself; they are not part of what the client sent.
    if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
    req.headers.emplace_back(k, v);
  }
  req.body = r.body;
  return req;
}

void apply(const HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  std::string type;
  for (const auto& [k, v] : from.headers) {
    if (iequals(k, "Content-Type")) type = v;
    else to.set_header(k, v);
  }
  if (!type.empty()) to.set_content(from.body, type);
}

}  // namespace

HttpServer::HttpServer(ServerLimits limits, bool log_requests) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
  impl_->log_requests = log_requests;
  int threads = limits.threads;
  impl_->server.new_task_queue = [threads] { return new GrowingPool(2, size_t(threads)); };
  impl_->server.set_payload_max_length(limits.max_body);
  impl_->server.set_keep_alive_max_count(100000);
  impl_->server.set_read_timeout(5, 0);
  impl_->server.set_write_timeout(5, 0);
  // SO_REUSEADDR only: httplib's default SO_REUSEPORT would let a second authemu bind the same
  // port and silently take half of the connections from the first.
  impl_->server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

HttpServer::~HttpServer() = default;

int HttpServer::bind(const std::string& host, int port) {
  int bound = port == 0 ? impl_->server.bind_to_any_port(host) : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) throw ConfigError("--listen: cannot listen on " + host + ":" + std::to_string(port) + ": " + std::strerror(errno));
  return bound;
}

bool HttpServer::serve(App& app) {
  auto& server = impl_->server;
  bool log = impl_->log_requests;
  auto handler = [&app, log](const httplib::Request& r, httplib::Response& res) {
    auto start = std::chrono::steady_clock::now();
    HttpResponse out = app.handle(convert(r));
    apply(out, res);
    if (log) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
      log_line(r.method + " " + r.path + " " + std::to_string(out.status) + " " + std::to_string(us) + "us");
    }
  };
  for (const char* pattern : {".*"}) {
    server.Get(pattern, handler);
    server.Post(pattern, handler);
    server.Put(pattern, handler);
    server.Delete(pattern, handler);
    server.Patch(pattern, handler);
    server.Options(pattern, handler);
  }
  // Responses refused before routing (413, 414, 431, bad request line) carry no Content-Type yet;
  // App's own error responses always do and pass through unchanged.
  server.set_error_handler([&app, log](const httplib::Request& r, httplib::Response& res) {
    if (res.has_header("Content-Type")) return httplib::Server::HandlerResponse::Unhandled;
    apply(app.transport_error(r.path, res.status), res);
    if (log) log_line(r.method + " " + r.path + " " + std::to_string(res.status) + " refused");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.set_exception_handler([](const httplib::Request& r, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log_line("error: " + r.method + " " + r.path + ": " + what);
    res.status = 500;
    res.set_content("{\"error\":\"server_error\",\"error_description\":\"internal error\"}", "application/json");
  });
  return server.listen_after_bind();
}

void HttpServer::stop() { impl_->server.stop(); }

bool probe_health(const std::string& host, int port, std::string* error) {
  httplib::Client client(host, port);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(2, 0);
  auto res = client.Get("/_healthcheck");
  if (!res) {
    *error = "no answer from " + host + ":" + std::to_string(port) + ": " + httplib::to_string(res.error());
    return false;
  }
  if (res->status != 200) {
    *error = "status " + std::to_string(res->status);
    return false;
  }
  return true;
}

}  // namespace authemu
