// The Formance management API (/clients, /users, /_info) as pure functions of parsed input:
// Formance's JSON shapes, status codes and {"errorCode","errorMessage"} errors. Authentication
// of the caller is done before, by the HTTP layer.
#pragma once
#include <string>

#include "store/client_store.h"
#include "store/user_store.h"

namespace authemu {

struct ApiResult {
  int status = 200;
  std::string body; // empty: no body (204, 404 as Formance sends them)
};

// Limits on what one request may store.
constexpr size_t kMaxFieldLength = 4096;
constexpr size_t kMaxListItems = 100;
// A metadata map (a client's, or a secret's): entries, and bytes of keys and values together. With
// kMaxSecretsPerClient secrets, a client holds at most 101 maps, about 800 KiB.
constexpr size_t kMaxMetadataEntries = 64;
constexpr size_t kMaxMetadataBytes = 8192;
// A client's claims (oauth/client_claims.h), as JSON.
constexpr size_t kMaxClaimsBytes = 8192;

class ManagementApi {
public:
  ManagementApi(ClientStore& clients, const UserStore& users) : clients_(clients), users_(users) {}

  ApiResult list_clients() const;
  ApiResult create_client(const std::string& body);
  ApiResult read_client(const std::string& id) const;
  ApiResult update_client(const std::string& id, const std::string& body);
  ApiResult delete_client(const std::string& id);
  ApiResult create_secret(const std::string& client_id, const std::string& body);
  ApiResult delete_secret(const std::string& client_id, const std::string& secret_id);
  ApiResult list_users() const;
  ApiResult read_user(const std::string& id) const;

private:
  ClientStore& clients_;
  const UserStore& users_;
};

// Formance's error body.
std::string management_error(const std::string& code, const std::string& message);

} // namespace authemu
