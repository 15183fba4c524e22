// What `authemu export` writes for one environment, from a running server (GET
// /_authemu/export/{format}) or from the fixtures without one: its JWKS, its public keys as PEM,
// or the TIBCO FTL server's OAuth 2.0 configuration pointing at it (key names: the FTL and EMS
// documentation). Text only; no I/O.
#pragma once
#include <optional>
#include <string>

#include "stack/environment.h"

namespace authemu {

enum class ExportFormat { jwks, pem, ftl };

// jwks, pem or ftl; nothing for another word.
std::optional<ExportFormat> find_export_format(const std::string& name);
const char* export_content_type(ExportFormat f);

// The FTL export's client when none is named: the default fixture's.
constexpr char kDefaultFtlClient[] = "ftl-client";

// The text of format for env. client: the FTL client (ftl only). Throws admin_api::not_found for
// a client the environment does not have.
std::string export_text(Environment& env, ExportFormat format, const std::string& client);

} // namespace authemu
