#include "cli/embedded_keys.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "base/embedded.h"
#include "base/once_task.h"

namespace authemu {

namespace {

using KeyTask = OnceTask<SigningKey>;

// Never destroyed: KeyPreparer's thread may still be loading a key when a start-up error ends the
// process, and must not find these gone.
struct Tasks {
  std::mutex mutex;
  std::map<std::pair<std::string, Algorithm>, std::shared_ptr<KeyTask>> by_key;
};
Tasks& tasks() {
  static Tasks* all = new Tasks;
  return *all;
}

std::shared_ptr<KeyTask> task_of(const std::string& name, Algorithm alg) {
  std::lock_guard<std::mutex> lock(tasks().mutex);
  auto& task = tasks().by_key[{name, alg}];
  if (!task) {
    task = std::make_shared<KeyTask>([name, alg] { return SigningKey::embedded_test_key(name, alg); });
  }
  return task;
}

} // namespace

SigningKey embedded_key(const std::string& name, Algorithm alg) {
  return task_of(name, alg)->get();
}

void load_embedded_key_ahead(const std::string& name, Algorithm alg) {
  task_of(name, alg)->try_run();
}

std::vector<std::string> embedded_fixture_key_names() {
  // One a line, written by the build from the parsed fixture (scripts/yaml_nodes.cpp --embedded-keys).
  std::vector<std::string> names;
  std::string_view list = embedded_file("default.yaml.keys").value_or("");
  for (size_t begin = 0, end; begin < list.size(); begin = end + 1) {
    end = std::min(list.find('\n', begin), list.size());
    if (end > begin) names.emplace_back(list.substr(begin, end - begin));
  }
  return names;
}

} // namespace authemu
