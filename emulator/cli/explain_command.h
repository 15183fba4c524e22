// `authemu explain TOKEN|- [audience=A] [nonce=N] [access_token=T]`: asks the server at --url why a
// token would be accepted or refused (POST /_authemu/explain) and prints one line per check. Exit 0
// whenever the token was explained, whatever the verdict; 1 when the server refused or was not there.
#pragma once
#include <istream>
#include <ostream>

#include "cli/options.h"

namespace authemu {

int run_explain(const Options& options, std::istream& in, std::ostream& out, std::ostream& err);

} // namespace authemu
