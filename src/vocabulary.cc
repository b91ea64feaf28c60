#include "fengqiao/vocabulary.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/v1/options.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/stubs/common.h"

namespace fengqiao {
namespace {

namespace pb = google::protobuf;

// The strings behind the labels of one enum; built once, never freed.
struct EnumTable {
  std::deque<std::string> strings;  // stable addresses
  absl::flat_hash_map<int, EnumLabel> by_number;
  std::vector<int> numbers;  // declaration order
  int domain = 0;
};

absl::string_view Keep(EnumTable& t, std::string s) {
  t.strings.push_back(std::move(s));
  return t.strings.back();
}

// The prefix the enum's values share: "DISPUTE_TYPE_" for DisputeType.
std::string ValuePrefix(const pb::EnumDescriptor* d) {
  if (d->value_count() == 0) return "";
  std::string prefix = d->value(0)->name();
  for (int i = 1; i < d->value_count(); ++i) {
    const std::string& n = d->value(i)->name();
    size_t k = 0;
    while (k < prefix.size() && k < n.size() && prefix[k] == n[k]) ++k;
    prefix.resize(k);
  }
  // Cut back to a whole word: "CASE_EVENT_TYPE_" not "CASE_EVENT_TYPE_RE".
  const size_t underscore = prefix.rfind('_');
  prefix.resize(underscore == std::string::npos ? 0 : underscore + 1);
  return prefix;
}

std::unique_ptr<EnumTable> BuildTable(const pb::EnumDescriptor* d) {
  auto t = std::make_unique<EnumTable>();
  const std::string prefix = d->value_count() > 1 ? ValuePrefix(d) : "";
  for (int i = 0; i < d->value_count(); ++i) {
    const pb::EnumValueDescriptor* v = d->value(i);
    EnumLabel l;
    l.known = true;
    l.proto_name = v->name();
    std::string short_name = v->name().substr(std::min(prefix.size(), v->name().size()));
    absl::AsciiStrToLower(&short_name);
    l.short_name = Keep(*t, std::move(short_name));
    const v1::Label& option = v->options().GetExtension(v1::label);
    l.en = Keep(*t, option.en().empty() ? std::string(l.short_name) : option.en());
    l.zh = Keep(*t, option.zh());
    l.display = l.zh.empty() || l.zh == l.en ? l.en : Keep(*t, absl::StrCat(l.en, " (", l.zh, ")"));
    t->by_number.try_emplace(v->number(), l);  // the first of aliased values names the number
    t->numbers.push_back(v->number());
    t->domain = std::max(t->domain, v->number() + 1);
  }
  return t;
}

const EnumTable& TableOf(const pb::EnumDescriptor* d) {
  // std::mutex, not absl::Mutex: Debian's Abseil is not built with TSan annotations, so
  // ThreadSanitizer could not see an absl::Mutex (as router.h notes).
  static std::mutex* mu = new std::mutex;
  static auto* tables =
      new absl::flat_hash_map<const pb::EnumDescriptor*, std::unique_ptr<EnumTable>>();
  std::lock_guard<std::mutex> lock(*mu);
  std::unique_ptr<EnumTable>& t = (*tables)[d];
  if (t == nullptr) t = BuildTable(d);
  return *t;
}

// The text a user passed, for an error message: quoted when short and valid UTF-8, otherwise
// only its length (a bad byte or a pasted paragraph is not repeated back).
std::string Quote(absl::string_view text) {
  if (text.size() > 40 ||
      !pb::internal::IsStructurallyValidUTF8(text.data(), static_cast<int>(text.size()))) {
    return absl::StrCat("a value of ", text.size(), " bytes");
  }
  return absl::StrCat("\"", text, "\"");
}

const EnumLabel& Unknown() {
  static const EnumLabel* unknown = [] {
    auto* l = new EnumLabel;
    l->short_name = "unknown";
    l->en = "unknown";
    l->zh = "未知";
    l->display = "unknown (未知)";
    return l;
  }();
  return *unknown;
}

}  // namespace

const EnumLabel& LabelOf(const pb::EnumDescriptor* descriptor, int number) {
  if (descriptor == nullptr) return Unknown();
  const EnumTable& t = TableOf(descriptor);
  auto it = t.by_number.find(number);
  return it == t.by_number.end() ? Unknown() : it->second;
}

std::vector<int> EnumNumbers(const pb::EnumDescriptor* descriptor) {
  return TableOf(descriptor).numbers;
}

int EnumDomain(const pb::EnumDescriptor* descriptor) { return TableOf(descriptor).domain; }

absl::StatusOr<int> ParseEnum(const pb::EnumDescriptor* descriptor, absl::string_view text,
                              bool allow_unspecified) {
  const EnumTable& t = TableOf(descriptor);
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  auto accept = [&](int number) -> absl::StatusOr<int> {
    if (number == 0 && !allow_unspecified) {
      return absl::InvalidArgumentError(
          absl::StrCat(descriptor->name(), ": a value is required, not unspecified"));
    }
    return number;
  };
  // Names first ("110" is the English label of CHANNEL_CALL_110), then numbers.
  if (!trimmed.empty()) {
    for (int n : t.numbers) {
      const EnumLabel& l = t.by_number.at(n);
      if (absl::EqualsIgnoreCase(trimmed, l.proto_name) ||
          absl::EqualsIgnoreCase(trimmed, l.short_name) || absl::EqualsIgnoreCase(trimmed, l.en) ||
          trimmed == l.zh) {
        return accept(n);
      }
    }
  }
  int number = 0;
  if (absl::SimpleAtoi(trimmed, &number) && t.by_number.contains(number)) return accept(number);
  std::vector<absl::string_view> names;
  for (int n : t.numbers) {
    if (n != 0 || allow_unspecified) names.push_back(t.by_number.at(n).short_name);
  }
  return absl::InvalidArgumentError(absl::StrCat(descriptor->name(), ": ", Quote(text),
                                                 " is not one of ", absl::StrJoin(names, ", ")));
}

}  // namespace fengqiao
