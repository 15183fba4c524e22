// Start-up's keys, loaded and prepared on the second core while the main thread reads the fixture:
// which key is loaded first and by whom is decided here (KeyPreparer runs it), so that the caller
// only asks for the default key when it needs it and hands over the rest. Nothing here reports an
// error that start-up without it would not: each key's loader reports its own.
#pragma once
#include <memory>
#include <vector>

#include "base/once_task.h"
#include "cli/key_preparer.h"
#include "cli/options.h"
#include "http/app.h"

namespace authemu {

class KeyWarmUp {
public:
  // Starts the second thread: the default key (load_signing_key); with the embedded fixture, the
  // embedded keys it names, last first (the main thread, done with the fixture, asks for them in
  // order and loads itself those the other thread has not begun); then the default key's first
  // signing slot (what the first token needs).
  explicit KeyWarmUp(const Options& options);

  // The default key, from whichever thread loads it first; throws what loading it threw. Asked for
  // after the fixture is read, so that a bad fixture is reported before a bad key.
  SigningKey default_key();
  // The other environments' keys (specs after the first, whose key is the default key), prepared
  // when a core is idle.
  void prepare_rest(const std::vector<EnvironmentSpec>& specs);

private:
  std::shared_ptr<OnceTask<SigningKey>> default_key_;
  KeyPreparer preparer_;
};

} // namespace authemu
