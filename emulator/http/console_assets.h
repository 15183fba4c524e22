// The console's own style and scripts (http/console_page): inline CSS for light and dark, the
// helpers both pages share (the admin API call, the explanation table), the console's script
// (journal stream, filters, details, copy as curl, explainer, actions, try a sign-in) and the
// callback's (code exchange with PKCE, userinfo, refresh, logout). Text only.
#pragma once

namespace authemu {

extern const char* const kConsoleStyle;
extern const char* const kConsoleHelpers;
extern const char* const kConsoleScript;
extern const char* const kCallbackScript;

} // namespace authemu
