// Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document): a client_id that is
// an https URL names a JSON document of RFC 7591 metadata about the client, which this server
// fetches (through the environment's fetcher, no redirects, 5 KiB at most), checks (its client_id
// is its URL; no shared-secret methods) and keeps in the client store as a registered client,
// fetched again once its HTTP freshness (Cache-Control max-age, 60 s to 1 h; 5 min without) has
// passed. Errors are OAuthError invalid_request naming the document and what is wrong.
#pragma once
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/fetcher.h"
#include "store/client_store.h"

namespace authemu {

constexpr size_t kMaxClientDocumentBytes = 5 * 1024;

// Whether client_id is a metadata document's URL: https with a path, or with allow_http an http URL
// of a loopback host (tests on one machine). Nothing else is fetched.
bool is_client_document_url(const std::string& client_id, bool allow_http);

// The client client_id's document describes, kept or fetched; nothing when client_id is no such
// URL. Throws OAuthError invalid_request when the document cannot be fetched, is not JSON, does
// not name itself, or is refused as metadata (the reason in the description).
ClientStore::Ptr resolve_client_document(ClientStore& clients, Fetcher* fetcher, const Clock& clock,
                                         const std::string& client_id, bool allow_http);

} // namespace authemu
