// The admin API's TLS controls: client certificates issued by the server's CA for RFC 8705 tests
// (AdminApi, admin_api.h).
#include <stdexcept>

#include "testkit/admin_api.h"
#include "testkit/admin_input.h"
#include "tls/certificate_authority.h"

namespace authemu {

HttpResponse AdminApi::issue_client_certificate(const HttpRequest& req, const CertificateAuthority* ca) {
  const EnvironmentList all = environments();
  if (ca == nullptr) {
    throw admin_api::not_found("no CA to issue client certificates: start the server with --tls, --tls-listen or "
                               "--tls-ca-dir (with --tls-cert, certificates are the caller's own)");
  }
  Input in = read_input(req);
  only_members(in.body, {"environment", "cn", "dns", "uris", "ips", "emails", "lifetime"});
  ClientCertificateRequest request;
  request.cn = in.text("cn").value_or("");
  request.dns = string_list(in.body, "dns", CertificateAuthority::kMaxUriLength);
  request.uris = string_list(in.body, "uris", CertificateAuthority::kMaxUriLength);
  request.ips = string_list(in.body, "ips", CertificateAuthority::kMaxUriLength);
  request.emails = string_list(in.body, "emails", CertificateAuthority::kMaxUriLength);
  if (auto v = find_member(in.body, "lifetime")) request.lifetime = seconds_of(*v, "lifetime");
  // The environment's clock: its notBefore and notAfter are judged at that clock (RFC 8705 §2).
  Environment& env = select_one(all, in.environment());
  IssuedClientCertificate issued;
  try {
    issued = ca->issue_client(request, env.clock());
  } catch (const std::invalid_argument& e) {
    throw admin_api::validation(e.what());
  }
  JsonObject o;
  o["cert"] = json_string(issued.chain);
  o["key"] = json_string(issued.key);
  o["ca"] = json_string(ca->client_ca_pem()); // its issuer (the CA's key under its client name)
  o["thumbprint"] = json_string(issued.thumbprint); // RFC 8705 §3.1 x5t#S256
  o["notBefore"] = json_int(issued.not_before);
  o["notAfter"] = json_int(issued.not_after);
  return json_response(201, Json(o));
}

} // namespace authemu
