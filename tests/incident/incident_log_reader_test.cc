// IncidentLogReader: a log read one incident at a time gives what protobuf reads from the whole
// file, in every format and layout; every class of bad input is an error at the file's
// line:col that never echoes a personal value; memory stays near one incident, not the file.
#include "fengqiao/incident/incident_log_reader.h"

#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "fengqiao/incident/incident_log.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class Reader : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  }

  // Every incident of `text` read as `filename`, or the first error.
  absl::StatusOr<std::vector<v1::Incident>> ReadAll(const std::string& text,
                                                    const std::string& filename,
                                                    IncidentLogReader::Options options = {}) {
    std::istringstream in(text);
    auto reader = IncidentLogReader::FromStream(in, filename, *map_, options);
    if (!reader.ok()) return reader.status();
    std::vector<v1::Incident> out;
    v1::Incident incident;
    while (true) {
      absl::StatusOr<bool> more = (*reader)->Next(&incident);
      if (!more.ok()) {
        // A failed reader stays failed.
        EXPECT_EQ((*reader)->Next(&incident).status(), more.status());
        return more.status();
      }
      if (!*more) break;
      out.push_back(incident);
    }
    name_ = (*reader)->name();
    return out;
  }

  v1::Incident RandomIncident(std::mt19937_64& rng, int i) {
    static const char* const kGrids[] = {"g11", "g12", "g21", "g22"};
    v1::Incident incident;
    incident.set_id(absl::StrCat("2026-10-", i));
    incident.mutable_reported_at()->set_seconds(1790784000 +
                                                static_cast<int64_t>(rng() % 2'000'000));
    incident.set_grid_code(kGrids[rng() % 4]);
    incident.set_channel(static_cast<v1::Channel>(1 + rng() % (v1::Channel_ARRAYSIZE - 1)));
    if (rng() % 2 == 0) {
      incident.set_kind(v1::INCIDENT_KIND_DISPUTE);
      incident.set_dispute_type(
          static_cast<v1::DisputeType>(1 + rng() % (v1::DisputeType_ARRAYSIZE - 1)));
    } else {
      incident.set_kind(v1::INCIDENT_KIND_NON_POLICE);
      incident.set_responsible_department(
          static_cast<v1::Department>(1 + rng() % (v1::Department_ARRAYSIZE - 1)));
    }
    incident.set_amount_fen(static_cast<int64_t>(rng() % 1'000'000));
    incident.set_description(rng() % 3 == 0 ? "邻里噪音纠纷, \"楼上\" 装修\\n夜间" : "");
    for (int p = 0, n = static_cast<int>(rng() % 3); p < n; ++p) {
      v1::Party* party = incident.add_parties();
      party->set_person_id(absl::StrCat("p-", rng() % 1000));
      party->set_name("张三");
    }
    if (rng() % 4 == 0) incident.add_tags("campus");
    return incident;
  }

  std::shared_ptr<const GridMap> map_;
  std::string name_;
};

std::string Json(const google::protobuf::Message& m, bool pretty) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = true;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &out, options).ok());
  return out;
}

TEST_F(Reader, EveryFormatAndLayoutReadsWhatProtobufReadsWhole) {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 40; ++trial) {
    v1::IncidentLog log;
    log.set_name(absl::StrCat("网格 log ", trial));
    for (int i = 0, n = static_cast<int>(rng() % 30); i < n; ++i) {
      *log.add_incidents() = RandomIncident(rng, i);
    }
    const bool pretty = trial % 2 == 0;
    std::string json = Json(log, pretty);
    if (trial % 3 == 0) {
      // The name after the incidents, and odd spacing: still one log.
      v1::IncidentLog nameless = log;
      nameless.clear_name();
      json = Json(nameless, pretty);
      json.insert(json.rfind('}'), absl::StrCat(" ,\n  \"name\" :\t", "\"", log.name(), "\"\n"));
      if (log.incidents().empty()) {
        json = absl::StrCat("{\"name\": \"", log.name(), "\"}");
      }
    }
    std::string lines;
    for (const v1::Incident& incident : log.incidents()) {
      absl::StrAppend(&lines, Json(incident, false), trial % 4 == 0 ? "\n\n" : "\n");
    }
    std::string text;
    ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(log, &text));
    for (const auto& [content, filename] :
         {std::pair(json, "log.json"), std::pair(lines, "log.jsonl"),
          std::pair(text, "log.textproto")}) {
      SCOPED_TRACE(absl::StrCat(filename, " trial ", trial));
      ASSERT_OK_AND_ASSIGN(std::vector<v1::Incident> got, ReadAll(content, filename));
      ASSERT_EQ(got.size(), static_cast<size_t>(log.incidents_size()));
      for (int i = 0; i < log.incidents_size(); ++i) {
        EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(got[i], log.incidents(i)))
            << i;
      }
      if (std::string(filename) != "log.jsonl") {
        EXPECT_EQ(name_, log.name());
      }
    }
  }
}

TEST_F(Reader, AnErrorInTheThirdIncidentIsAtItsLineAndField) {
  const std::string json =
      "{\"name\": \"x\",\n \"incidents\": [\n"
      "  {\"id\": \"a\", \"reported_at\": \"2026-10-01T00:00:00Z\", \"grid_code\": \"g11\", "
      "\"kind\": \"INCIDENT_KIND_FRAUD\", \"channel\": \"CHANNEL_CALL_110\"},\n"
      "  {\"id\": \"b\", \"reported_at\": \"2026-10-01T00:00:00Z\", \"grid_code\": \"g11\", "
      "\"kind\": \"INCIDENT_KIND_FRAUD\", \"channel\": \"CHANNEL_CALL_110\"},\n"
      "  {\"id\": \"c\", \"reported_at\": \"2026-10-01T00:00:00Z\",\n"
      "   \"grid_code\": \"nowhere\", \"kind\": \"INCIDENT_KIND_FRAUD\", \"channel\": "
      "\"CHANNEL_CALL_110\"}]}";
  EXPECT_THAT(ReadAll(json, "log.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("log.json:6:4"), HasSubstr("incident \"c\""),
                             HasSubstr("grid_code"))));
  const std::string lines = absl::StrReplaceAll(
      json.substr(json.find("  {")), {{"},\n", "}\n"}, {"\n   \"grid", " \"grid"}, {"}]}", "}"}});
  EXPECT_THAT(ReadAll(lines, "log.jsonl"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("log.jsonl:3:"), HasSubstr("incident \"c\""))));
  const std::string dup =
      absl::StrReplaceAll(json, {{"\"id\": \"c\"", "\"id\": \"a\""}, {"\"nowhere\"", "\"g12\""}});
  EXPECT_THAT(ReadAll(dup, "log.json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("log.json:5:"), HasSubstr("duplicate incident id \"a\""),
                             HasSubstr("first at log.json:3:"))));
}

// Each class of malformed input: located, the right code, no value echoed.
TEST_F(Reader, EveryClassOfBadInputIsALocatedErrorWithoutTheValue) {
  const std::string ok =
      "{\"id\": \"a\", \"reported_at\": \"2026-10-01T00:00:00Z\", \"grid_code\": \"g11\", "
      "\"kind\": \"INCIDENT_KIND_FRAUD\", \"channel\": \"CHANNEL_CALL_110\"}";
  struct Case {
    std::string name, text, where, what;
    absl::StatusCode code = absl::StatusCode::kInvalidArgument;
  };
  const std::vector<Case> cases = {
      {"empty file", "", "log.json:1:1", "unexpected end of input"},
      {"a top-level array", "[" + ok + "]", "log.json:1:1", "expected a JSON object"},
      {"truncated inside an incident", "{\"incidents\": [" + ok.substr(0, 30),
       "log.json:1:", "unexpected end of input"},
      {"truncated after an incident", "{\"incidents\": [" + ok,
       "log.json:1:", "unexpected end of input"},
      {"truncated before the end", "{\"incidents\": [" + ok + "]",
       "log.json:1:", "unexpected end of input"},
      {"text after the log", "{\"incidents\": []} 13912345678", "log.json:1:19",
       "unexpected text after the JSON value"},
      {"an unknown member", "{\"incidents\": [], \"phone\": \"13912345678\"}", "log.json:1:19",
       "does not have"},
      {"incidents twice", "{\"incidents\": [], \"incidents\": []}", "log.json:1:19",
       "duplicate key \"incidents\""},
      {"incidents not an array", "{\"incidents\": {\"id\": \"13912345678\"}}",
       "log.json:1:", "must be an array"},
      {"a missing comma", "{\"incidents\": [" + ok + " " + ok + "]}",
       "log.json:1:", "expected ',' or ']'"},
      {"invalid UTF-8", "{\"incidents\": [{\"id\": \"\xff\xfe 13912345678\"}]}",
       "log.json:1:", "invalid UTF-8"},
      {"an unknown enum number", "{\"incidents\": [{\"id\": \"a\", \"kind\": 99}]}",
       "log.json:1:", "99 is not a fengqiao.v1.IncidentKind"},
      {"a wrong type", "{\"incidents\": [{\"id\": \"a\", \"amount_fen\": \"13912345678x\"}]}",
       "log.json:1:", "amount_fen"},
      {"an incident too large",
       "{\"incidents\": [{\"description\": \"" + std::string(300, 'x') + "13912345678\"}]}",
       "log.json:1:16", "longer than 256 bytes", absl::StatusCode::kResourceExhausted},
      {"a bad JSON line", ok + "\n{\"id\": 13912345678,\n", "log.jsonl:2:", "JSON syntax error"},
      {"a line too long", ok + "\n" + std::string(300, ' ') + "13912345678\n", "log.jsonl:2:1",
       "longer than 256 bytes", absl::StatusCode::kResourceExhausted},
  };
  IncidentLogReader::Options small;
  small.max_incident_bytes = 256;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string filename = c.where.substr(0, c.where.find(':'));
    const auto got = ReadAll(c.text, filename, small);
    EXPECT_THAT(got, StatusIs(c.code, AllOf(HasSubstr(c.where), HasSubstr(c.what))));
    EXPECT_THAT(got.status().message(), Not(HasSubstr("13912345678")));
  }
}

TEST_F(Reader, OnlyRegularFilesAreOpened) {
  EXPECT_THAT(IncidentLogReader::Open("/nonexistent/log.json", *map_),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("cannot open")));
  EXPECT_THAT(IncidentLogReader::Open("/tmp", *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is a directory")));
  EXPECT_THAT(IncidentLogReader::Open("/dev/zero", *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a regular file")));
}

long PeakRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// A 24 MB log (FENGQIAO_READER_MB for another size) is read in a few MB of memory: the largest
// incident plus the ids seen. Holding it whole costs several times the file.
TEST_F(Reader, MemoryFollowsOneIncidentNotTheFile) {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "a sanitizer's shadow memory makes RSS say nothing about the reader";
#endif
  const char* env = std::getenv("FENGQIAO_READER_MB");
  const int64_t target = int64_t{env != nullptr ? std::atoi(env) : 24} << 20;
  const std::string path = ::testing::TempDir() + "/fengqiao_reader_big.json";
  std::mt19937_64 rng(7);
  int64_t written = 0, incidents = 0;
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\"name\": \"big\", \"incidents\": [\n";
    while (written < target) {
      v1::Incident incident = RandomIncident(rng, static_cast<int>(incidents));
      incident.set_description(std::string(200, 'x'));
      const std::string json = Json(incident, false);
      out << (incidents++ == 0 ? "" : ",\n") << json;
      written += static_cast<int64_t>(json.size()) + 2;
    }
    out << "]}\n";
  }
  const long before = PeakRssKiB();
  ASSERT_OK_AND_ASSIGN(auto reader, IncidentLogReader::Open(path, *map_));
  v1::Incident incident;
  int64_t read = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(bool more, reader->Next(&incident));
    if (!more) break;
    ++read;
  }
  const long grown_kib = PeakRssKiB() - before;
  std::filesystem::remove(path);
  EXPECT_EQ(read, incidents);
  RecordProperty("file_mb", static_cast<int>(written >> 20));
  RecordProperty("incidents", static_cast<int>(read));
  RecordProperty("peak_rss_growth_kib", static_cast<int>(grown_kib));
  // Ids: ~50 bytes each (~5 MB at 100,000); the file is 24 MB.
  EXPECT_LT(grown_kib * 1024, written / 3) << "peak RSS grew by " << grown_kib << " KiB";
}

}  // namespace
}  // namespace fengqiao
