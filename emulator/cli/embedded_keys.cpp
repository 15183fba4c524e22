#include "cli/embedded_keys.h"

#include <cctype>
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
  std::vector<std::string> names;
  auto text = embedded_file("default.yaml");
  if (!text) return names;
  constexpr std::string_view kPrefix = "embedded:";
  for (size_t at = text->find(kPrefix); at != std::string_view::npos; at = text->find(kPrefix, at + 1)) {
    size_t begin = at + kPrefix.size(), end = begin;
    while (end < text->size() && (std::isalnum(static_cast<unsigned char>((*text)[end])) || (*text)[end] == '.' ||
                                  (*text)[end] == '-' || (*text)[end] == '_'))
      ++end;
    if (end > begin) names.emplace_back(text->substr(begin, end - begin));
  }
  return names;
}

} // namespace authemu
