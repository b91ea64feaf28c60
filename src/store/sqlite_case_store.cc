#include "fengqiao/store/sqlite_case_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "internal/time_util.h"
#include "store/internal/store_checks.h"
#include "store/internal/store_cipher.h"

namespace fengqiao {
namespace {

// The case without its event log, serialised as `header` would be after clear_events() (the
// log is stored row by row): the case is serialised once and the log's fields are left out,
// which spares a copy of every event.
std::string HeaderBytes(const v1::Case& c) {
  using google::protobuf::internal::WireFormatLite;
  const std::string full = c.SerializeAsString();
  std::string out;
  out.reserve(full.size());
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(full.data()),
                                            static_cast<int>(full.size()));
  while (true) {
    const int start = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (!WireFormatLite::SkipField(&in, tag)) {  // never for bytes protobuf just wrote
      v1::Case header = c;
      header.clear_events();
      return header.SerializeAsString();
    }
    if (WireFormatLite::GetTagFieldNumber(tag) != v1::Case::kEventsFieldNumber) {
      out.append(full, start, in.CurrentPosition() - start);
    }
  }
  return out;
}

// The schema, one step per version; a file at version N runs steps N+1.. on open.
constexpr const char* kMigrations[] = {
    // 1: cases with their current summary, and the event log.
    "CREATE TABLE cases("
    "  id TEXT PRIMARY KEY, header BLOB NOT NULL, state INTEGER NOT NULL,"
    "  tier INTEGER NOT NULL, grid TEXT NOT NULL, assignee TEXT NOT NULL,"
    "  next_due INTEGER, last_seq INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE events("
    "  case_id TEXT NOT NULL, seq INTEGER NOT NULL, type INTEGER NOT NULL,"
    "  at INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY(case_id, seq)) WITHOUT ROWID;"
    "CREATE INDEX cases_state ON cases(state);"
    "CREATE INDEX cases_grid ON cases(grid);",
    // 2: duty-desk queries by tier, assignee and overdue; when a case last changed.
    "ALTER TABLE cases ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX cases_tier ON cases(tier);"
    "CREATE INDEX cases_assignee ON cases(assignee);"
    "CREATE INDEX cases_next_due ON cases(next_due) WHERE next_due IS NOT NULL;",
    // 3: the audit trail of unmasked reads and exports, append-only (triggers refuse changes).
    "CREATE TABLE audit("
    "  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, member TEXT NOT NULL,"
    "  action INTEGER NOT NULL, body BLOB NOT NULL);"
    "CREATE TABLE audit_cases("
    "  case_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(case_id, seq)) WITHOUT ROWID;"
    "CREATE INDEX audit_at ON audit(at);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER audit_cases_no_update BEFORE UPDATE ON audit_cases"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER audit_cases_no_delete BEFORE DELETE ON audit_cases"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    // The incident's digest (store_internal::IncidentDigest), so a save of a copy read before an
    // erasure rewrote the case is refused; NULL for cases saved before schema 3.
    "ALTER TABLE cases ADD COLUMN incident_digest BLOB;",
    // 4: encryption at rest: the key check of an encrypted store (no row: a store in clear).
    "CREATE TABLE encryption(key_check BLOB NOT NULL);",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == SqliteCaseStore::kSchemaVersion);

absl::StatusCode CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return absl::StatusCode::kPermissionDenied;
    case SQLITE_FULL:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_CONSTRAINT:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInternal;
  }
}

// Where a blob lives: its associated data when the store is encrypted.
std::string CasePlace(absl::string_view id) { return absl::StrCat("case:", id); }
std::string EventPlace(absl::string_view id, int64_t seq) {
  return absl::StrCat("event:", id, ":", seq);
}
std::string AuditPlace(int64_t seq) { return absl::StrCat("audit:", seq); }
constexpr absl::string_view kKeyCheckPlace = "key-check";
constexpr absl::string_view kKeyCheckText = "fengqiao case store key check";

}  // namespace

struct SqliteCaseStore::Connection {
  sqlite3* db = nullptr;
  std::string path;
  absl::flat_hash_map<std::string, sqlite3_stmt*> statements;

  ~Connection() {
    for (auto& [sql, stmt] : statements) sqlite3_finalize(stmt);
    if (db != nullptr) sqlite3_close(db);
  }
  absl::Status Error(int rc, absl::string_view what) const {
    return absl::Status(CodeFor(rc),
                        absl::StrCat(path, ": ", what, ": ",
                                     db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
  absl::Status Exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      absl::Status s(CodeFor(rc),
                     absl::StrCat(path, ": ", message != nullptr ? message : "",
                                  " (in: ", absl::string_view(sql).substr(0, 60), ")"));
      sqlite3_free(message);
      return s;
    }
    return absl::OkStatus();
  }
  // A cached prepared statement, reset and cleared.
  absl::StatusOr<sqlite3_stmt*> Prepare(const std::string& sql) {
    auto it = statements.find(sql);
    if (it != statements.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, "prepare");
    statements.emplace(sql, stmt);
    return stmt;
  }
};

namespace {

// A read transaction on a pooled connection, committed (or rolled back) on scope exit.
class ReadTx {
 public:
  explicit ReadTx(SqliteCaseStore::Connection* c) : c_(c) { ok_ = c_->Exec("BEGIN").ok(); }
  ~ReadTx() {
    if (ok_) (void)c_->Exec("COMMIT");
  }
  bool ok() const { return ok_; }

 private:
  SqliteCaseStore::Connection* c_;
  bool ok_;
};

void BindText(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void BindBlob(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
std::string ColumnBlob(sqlite3_stmt* s, int i) {
  return std::string(static_cast<const char*>(sqlite3_column_blob(s, i)),
                     static_cast<size_t>(sqlite3_column_bytes(s, i)));
}

}  // namespace

SqliteCaseStore::SqliteCaseStore(std::string path, SqliteOptions options)
    : path_(std::move(path)), options_(options) {}

SqliteCaseStore::~SqliteCaseStore() = default;

absl::StatusOr<std::unique_ptr<SqliteCaseStore::Connection>> SqliteCaseStore::Connect(
    bool writer) const {
  auto c = std::make_unique<Connection>();
  c->path = path_;
  int flags = SQLITE_OPEN_NOMUTEX;
  std::string filename = path_;
  if (options_.read_only) {
    flags |= SQLITE_OPEN_READONLY;
    if (immutable_) {
      // A URI, so that `immutable=1` applies: no locks, no -shm; the file is taken as it is.
      flags |= SQLITE_OPEN_URI;
      filename = "file:";
      for (char ch : path_) {
        if (ch == '%' || ch == '?' || ch == '#') {
          absl::StrAppend(&filename, "%",
                          absl::Hex(static_cast<unsigned char>(ch), absl::kZeroPad2));
        } else {
          filename.push_back(ch);
        }
      }
      filename += "?immutable=1";
    }
  } else {
    flags |= SQLITE_OPEN_READWRITE | (writer ? SQLITE_OPEN_CREATE : 0);
  }
  const int rc = sqlite3_open_v2(filename.c_str(), &c->db, flags, nullptr);
  if (rc != SQLITE_OK) return c->Error(rc, "open");
  sqlite3_busy_timeout(c->db, options_.busy_timeout_ms);
  if (options_.read_only) return c;
  const char* sync = options_.sync == SqliteOptions::Sync::kFull     ? "FULL"
                     : options_.sync == SqliteOptions::Sync::kNormal ? "NORMAL"
                                                                     : "OFF";
  FENGQIAO_RETURN_IF_ERROR(c->Exec(absl::StrCat("PRAGMA synchronous=", sync).c_str()));
  return c;
}

namespace {

// The schema version of the file (PRAGMA user_version: a read, nothing is written).
absl::StatusOr<int> ReadVersion(SqliteCaseStore::Connection& c) {
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * s, c.Prepare("PRAGMA user_version"));
  const int rc = sqlite3_step(s);
  const int version = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
  sqlite3_reset(s);
  if (rc != SQLITE_ROW) return c.Error(rc, "reading the schema version");
  return version;
}

absl::Status RefuseNewer(absl::string_view path, int version) {
  return absl::FailedPreconditionError(absl::StrCat(
      path, ": schema version ", version, " was written by a newer fengqiao (this one knows ",
      SqliteCaseStore::kSchemaVersion, "); the file was not changed"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteCaseStore>> SqliteCaseStore::Open(
    absl::string_view path, const SqliteOptions& options) {
  if (path.empty() || path == ":memory:") {
    return absl::InvalidArgumentError(absl::StrCat(
        "case store path \"", path,
        "\": SQLite would keep it in memory or in a temporary file deleted on close, so nothing "
        "saved would be durable; name a file (MemoryCaseStore is the in-process store)"));
  }
  std::unique_ptr<SqliteCaseStore> store(new SqliteCaseStore(std::string(path), options));
  if (!options.key.empty()) {
    absl::StatusOr<store_internal::StoreCipher> cipher =
        store_internal::StoreCipher::Create(options.key);
    if (!cipher.ok())
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", cipher.status().message()));
    store->cipher_ = std::make_shared<const store_internal::StoreCipher>(*std::move(cipher));
  }
  if (options.read_only) return OpenReadOnly(std::move(store));
  FENGQIAO_ASSIGN_OR_RETURN(store->writer_, store->Connect(/*writer=*/true));
  Connection& w = *store->writer_;
  // A file of a newer schema is refused before anything is changed in it (not even WAL mode).
  FENGQIAO_ASSIGN_OR_RETURN(int version, ReadVersion(w));
  if (version > kSchemaVersion) return RefuseNewer(path, version);
  FENGQIAO_RETURN_IF_ERROR(w.Exec("PRAGMA journal_mode=WAL"));
  FENGQIAO_RETURN_IF_ERROR(w.Exec("BEGIN IMMEDIATE"));
  // Again under the write lock: another process may have migrated the file meanwhile.
  absl::StatusOr<int> locked_version = ReadVersion(w);
  if (!locked_version.ok() || *locked_version > kSchemaVersion) {
    (void)w.Exec("ROLLBACK");
    return locked_version.ok() ? RefuseNewer(path, *locked_version) : locked_version.status();
  }
  for (int v = *locked_version; v < kSchemaVersion; ++v) {
    absl::Status s = w.Exec(kMigrations[v]);
    if (!s.ok()) {
      (void)w.Exec("ROLLBACK");
      return absl::Status(s.code(), absl::StrCat("migrating to schema ", v + 1, ": ", s.message()));
    }
  }
  FENGQIAO_RETURN_IF_ERROR(w.Exec(absl::StrCat("PRAGMA user_version=", kSchemaVersion).c_str()));
  if (absl::Status key = store->CheckKey(w, /*may_encrypt=*/true); !key.ok()) {
    (void)w.Exec("ROLLBACK");
    return key;
  }
  FENGQIAO_RETURN_IF_ERROR(w.Exec("COMMIT"));
  return store;
}

absl::StatusOr<std::unique_ptr<SqliteCaseStore>> SqliteCaseStore::OpenReadOnly(
    std::unique_ptr<SqliteCaseStore> store) {
  const std::string& path = store->path_;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return absl::NotFoundError(absl::StrCat(path, ": no such case store (opened read-only)"));
  }
  FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<Connection> c, store->Connect(/*writer=*/false));
  absl::StatusOr<int> version = ReadVersion(*c);
  // A WAL file in a folder this process cannot write: SQLite cannot make the shared-memory
  // index beside it. With no -wal file every committed save is in the file itself, so it is
  // opened immutable (a snapshot). With a -wal file the newest saves would be missed: refused.
  if (absl::IsPermissionDenied(version.status())) {
    if (std::filesystem::exists(path + "-wal", ec)) {
      return absl::PermissionDeniedError(absl::StrCat(
          path, ": cannot be read here (", version.status().message(),
          ") and its -wal file holds saves not yet in the file; open it read-write once"));
    }
    store->immutable_ = true;
    FENGQIAO_ASSIGN_OR_RETURN(c, store->Connect(/*writer=*/false));
    version = ReadVersion(*c);
  }
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) return RefuseNewer(path, *version);
  if (*version < kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": schema version ", *version, " needs migrating to ", kSchemaVersion,
                     "; open it read-write once (a read-only open changes nothing)"));
  }
  FENGQIAO_RETURN_IF_ERROR(store->CheckKey(*c, /*may_encrypt=*/false));
  store->Release(std::move(c));
  return store;
}

class SqliteCaseStore::ReaderLease {
 public:
  ReaderLease(const SqliteCaseStore* store, std::unique_ptr<Connection> c)
      : store_(store), c_(std::move(c)) {}
  ReaderLease(ReaderLease&&) = default;
  ReaderLease& operator=(ReaderLease&&) = delete;
  ~ReaderLease() {
    if (c_ != nullptr) store_->Release(std::move(c_));
  }
  Connection* operator->() const { return c_.get(); }
  Connection* get() const { return c_.get(); }

 private:
  const SqliteCaseStore* store_;
  std::unique_ptr<Connection> c_;
};

absl::StatusOr<SqliteCaseStore::ReaderLease> SqliteCaseStore::Reader() const {
  {
    std::lock_guard lock(pool_mu_);
    if (!readers_.empty()) {
      auto c = std::move(readers_.back());
      readers_.pop_back();
      return ReaderLease(this, std::move(c));
    }
  }
  FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<Connection> c, Connect(/*writer=*/false));
  return ReaderLease(this, std::move(c));
}

void SqliteCaseStore::Release(std::unique_ptr<Connection> c) const {
  std::lock_guard lock(pool_mu_);
  readers_.push_back(std::move(c));
}

std::string SqliteCaseStore::Sealed(const std::string& plain, absl::string_view place) const {
  return cipher_ != nullptr ? cipher_->Seal(plain, place) : plain;
}

bool SqliteCaseStore::Unseal(const std::string& blob, absl::string_view place,
                             std::string* plain) const {
  if (cipher_ == nullptr) {
    *plain = blob;
    return true;
  }
  return cipher_->Open(blob, place, plain);
}

bool SqliteCaseStore::ParseSealed(const std::string& blob, absl::string_view place,
                                  google::protobuf::MessageLite* message) const {
  if (cipher_ == nullptr) return message->ParseFromString(blob);
  std::string plain;
  return cipher_->Open(blob, place, &plain) && message->ParseFromString(plain);
}

std::string SqliteCaseStore::Digest(const v1::Incident& incident) const {
  const std::string digest = store_internal::IncidentDigest(incident);
  return cipher_ != nullptr ? cipher_->KeyedDigest(digest) : digest;
}

absl::Status SqliteCaseStore::CheckKey(Connection& c, bool may_encrypt) {
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * s, c.Prepare("SELECT key_check FROM encryption"));
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return c.Error(rc, "reading the key check");
  const bool encrypted = rc == SQLITE_ROW;
  const std::string check = encrypted ? ColumnBlob(s, 0) : "";
  sqlite3_reset(s);
  if (encrypted) {
    if (cipher_ == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          path_,
          ": the store is encrypted; open it with its key (SqliteOptions::key: a key file "
          "or FENGQIAO_STORE_KEY)"));
    }
    std::string plain;
    if (!cipher_->Open(check, kKeyCheckPlace, &plain) || plain != kKeyCheckText) {
      return absl::PermissionDeniedError(
          absl::StrCat(path_, ": the key does not open this store (a wrong key)"));
    }
    return absl::OkStatus();
  }
  if (cipher_ == nullptr) return absl::OkStatus();
  // A store in clear is encrypted only while it holds nothing.
  FENGQIAO_ASSIGN_OR_RETURN(
      sqlite3_stmt * any,
      c.Prepare("SELECT EXISTS(SELECT 1 FROM cases) OR EXISTS(SELECT 1 FROM audit)"));
  rc = sqlite3_step(any);
  const bool holds = rc == SQLITE_ROW && sqlite3_column_int(any, 0) != 0;
  sqlite3_reset(any);
  if (rc != SQLITE_ROW) return c.Error(rc, "reading the store");
  if (holds || !may_encrypt) {
    return absl::FailedPreconditionError(absl::StrCat(
        path_, holds ? ": the store holds cases in clear; it cannot be opened with a key"
                     : ": the store is not encrypted (opened read-only with a key)"));
  }
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * insert,
                            c.Prepare("INSERT INTO encryption(key_check) VALUES(?)"));
  BindBlob(insert, 1, cipher_->Seal(kKeyCheckText, kKeyCheckPlace));
  rc = sqlite3_step(insert);
  if (rc != SQLITE_DONE) return c.Error(rc, "writing the key check");
  return absl::OkStatus();
}

absl::Status SqliteCaseStore::Save(absl::Span<const v1::Case* const> cases, absl::Time now) {
  if (options_.read_only) {
    return absl::FailedPreconditionError(
        absl::StrCat(path_, ": the store was opened read-only; nothing was saved"));
  }
  for (const v1::Case* c : cases) FENGQIAO_RETURN_IF_ERROR(store_internal::CheckReplays(*c, options_.loop_options));
  std::lock_guard lock(write_mu_);
  Connection& w = *writer_;
  FENGQIAO_RETURN_IF_ERROR(w.Exec("BEGIN IMMEDIATE"));
  auto fail = [&](absl::Status s) {
    (void)w.Exec("ROLLBACK");
    return s;
  };
  const int64_t saved_at = absl::ToUnixSeconds(now);
  std::string header_bytes, event_bytes;
  std::vector<std::string> stored_events;
  for (const v1::Case* c : cases) {
    // The stored log, read inside the write transaction: no other writer moves it until COMMIT.
    absl::StatusOr<sqlite3_stmt*> log =
        w.Prepare("SELECT body FROM events WHERE case_id = ? ORDER BY seq");
    if (!log.ok()) return fail(log.status());
    BindText(*log, 1, c->id());
    stored_events.clear();
    int read_rc;
    while ((read_rc = sqlite3_step(*log)) == SQLITE_ROW) {
      std::string plain;
      if (!Unseal(ColumnBlob(*log, 0), EventPlace(c->id(), stored_events.size() + 1), &plain)) {
        sqlite3_reset(*log);
        return fail(absl::DataLossError(absl::StrCat(path_, ": case \"", c->id(),
                                                     "\": a stored event does not open or parse")));
      }
      stored_events.push_back(std::move(plain));
    }
    sqlite3_reset(*log);
    if (read_rc != SQLITE_DONE) {
      return fail(w.Error(read_rc, absl::StrCat("reading the log of case \"", c->id(), "\"")));
    }
    absl::Status ok = store_internal::CheckExtends(*c, stored_events);
    if (!ok.ok()) return fail(ok);
    const std::string digest = Digest(c->incident());
    if (!stored_events.empty()) {
      absl::StatusOr<std::string> stored_digest = StoredIncidentDigest(w, c->id());
      if (!stored_digest.ok()) return fail(stored_digest.status());
      if (*stored_digest != digest) return fail(store_internal::IncidentRewritten(*c));
    }
    const int64_t stored = static_cast<int64_t>(stored_events.size());

    absl::StatusOr<sqlite3_stmt*> insert =
        w.Prepare("INSERT INTO events(case_id, seq, type, at, body) VALUES(?, ?, ?, ?, ?)");
    if (!insert.ok()) return fail(insert.status());
    for (int i = static_cast<int>(stored); i < c->events_size(); ++i) {
      const v1::CaseEvent& e = c->events(i);
      sqlite3_reset(*insert);
      BindText(*insert, 1, c->id());
      sqlite3_bind_int64(*insert, 2, e.seq());
      sqlite3_bind_int(*insert, 3, e.type());
      sqlite3_bind_int64(*insert, 4, e.at().seconds());
      event_bytes.clear();
      e.SerializeToString(&event_bytes);
      BindBlob(*insert, 5, Sealed(event_bytes, EventPlace(c->id(), e.seq())));
      const int rc = sqlite3_step(*insert);
      if (rc != SQLITE_DONE) {
        return fail(
            w.Error(rc, absl::StrCat("appending event ", e.seq(), " of case \"", c->id(), "\"")));
      }
    }

    header_bytes = HeaderBytes(*c);
    absl::StatusOr<sqlite3_stmt*> upsert = w.Prepare(
        "INSERT OR REPLACE INTO cases(id, header, state, tier, grid, assignee, next_due, "
        "last_seq, updated_at, incident_digest) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!upsert.ok()) return fail(upsert.status());
    BindText(*upsert, 1, c->id());
    BindBlob(*upsert, 2, Sealed(header_bytes, CasePlace(c->id())));
    sqlite3_bind_int(*upsert, 3, c->state());
    sqlite3_bind_int(*upsert, 4, c->tier());
    BindText(*upsert, 5, c->incident().grid_code());
    BindText(*upsert, 6, c->assignee());
    const std::optional<absl::Time> due = NextDue(*c);
    if (due.has_value()) {
      sqlite3_bind_int64(*upsert, 7, absl::ToUnixSeconds(*due));
    } else {
      sqlite3_bind_null(*upsert, 7);
    }
    sqlite3_bind_int64(*upsert, 8, c->events_size());
    sqlite3_bind_int64(*upsert, 9, saved_at);
    BindBlob(*upsert, 10, digest);
    const int rc = sqlite3_step(*upsert);
    if (rc != SQLITE_DONE) {
      return fail(w.Error(rc, absl::StrCat("writing case \"", c->id(), "\"")));
    }
  }
  absl::Status commit = w.Exec("COMMIT");
  if (!commit.ok()) return fail(commit);
  return absl::OkStatus();
}

absl::StatusOr<v1::Case> SqliteCaseStore::Get(absl::string_view id) const {
  FENGQIAO_ASSIGN_OR_RETURN(ReaderLease r, Reader());
  ReadTx tx(r.get());  // header and events from one snapshot
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * s, r->Prepare("SELECT header FROM cases WHERE id = ?"));
  BindText(s, 1, std::string(id));
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE)
    return absl::NotFoundError(absl::StrCat("case \"", id, "\" is not stored"));
  if (rc != SQLITE_ROW) return r->Error(rc, "reading a case");
  v1::Case out;
  if (!ParseSealed(ColumnBlob(s, 0), CasePlace(id), &out)) {
    return absl::DataLossError(absl::StrCat(path_, ": case \"", id, "\": header does not parse"));
  }
  sqlite3_reset(s);
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * e,
                            r->Prepare("SELECT body FROM events WHERE case_id = ? ORDER BY seq"));
  BindText(e, 1, std::string(id));
  int erc;
  while ((erc = sqlite3_step(e)) == SQLITE_ROW) {
    const std::string place = EventPlace(id, out.events_size() + 1);  // before add_events()
    if (!ParseSealed(ColumnBlob(e, 0), place, out.add_events())) {
      sqlite3_reset(e);
      return absl::DataLossError(
          absl::StrCat(path_, ": case \"", id, "\": an event does not parse"));
    }
  }
  sqlite3_reset(e);
  if (erc != SQLITE_DONE) return r->Error(erc, "reading events");
  return out;
}

absl::StatusOr<std::vector<v1::CaseEvent>> SqliteCaseStore::Timeline(absl::string_view id) const {
  FENGQIAO_ASSIGN_OR_RETURN(v1::Case c, Get(id));
  return std::vector<v1::CaseEvent>(c.events().begin(), c.events().end());
}

absl::StatusOr<std::vector<std::string>> SqliteCaseStore::Find(const CaseQuery& q) const {
  std::string sql = "SELECT id FROM cases WHERE 1";
  if (q.state.has_value()) sql += " AND state = ?";
  if (!q.grid_code.empty()) sql += " AND grid = ?";
  if (q.tier.has_value()) sql += " AND tier = ?";
  if (!q.assignee.empty()) sql += " AND assignee = ?";
  if (q.overdue_at.has_value()) sql += " AND next_due < ?";
  if (q.saved_since.has_value()) sql += " AND updated_at >= ?";
  sql += " ORDER BY id";
  if (q.limit > 0) sql += " LIMIT ?";
  FENGQIAO_ASSIGN_OR_RETURN(ReaderLease r, Reader());
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * s, r->Prepare(sql));
  int i = 1;
  if (q.state.has_value()) sqlite3_bind_int(s, i++, *q.state);
  if (!q.grid_code.empty()) BindText(s, i++, q.grid_code);
  if (q.tier.has_value()) sqlite3_bind_int(s, i++, *q.tier);
  if (!q.assignee.empty()) BindText(s, i++, q.assignee);
  if (q.overdue_at.has_value()) {
    // Stored due times are whole seconds; compare against the ceiling so "due before t" holds.
    sqlite3_bind_int64(
        s, i++,
        absl::ToInt64Seconds(absl::Ceil(*q.overdue_at - absl::UnixEpoch(), absl::Seconds(1))));
  }
  if (q.saved_since.has_value()) sqlite3_bind_int64(s, i++, absl::ToUnixSeconds(*q.saved_since));
  if (q.limit > 0) sqlite3_bind_int(s, i++, q.limit);
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  }
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) return r->Error(rc, "querying cases");
  return out;
}

absl::StatusOr<std::string> SqliteCaseStore::StoredIncidentDigest(Connection& w,
                                                                  const std::string& id) const {
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * s,
                            w.Prepare("SELECT incident_digest, header FROM cases WHERE id = ?"));
  BindText(s, 1, id);
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) {
    sqlite3_reset(s);
    return std::string();
  }
  if (rc != SQLITE_ROW) return w.Error(rc, absl::StrCat("reading case \"", id, "\""));
  std::string digest;
  if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
    digest = ColumnBlob(s, 0);
  } else {  // saved before schema 3: from the stored header
    v1::Case header;
    if (!ParseSealed(ColumnBlob(s, 1), CasePlace(id), &header)) {
      sqlite3_reset(s);
      return absl::DataLossError(
          absl::StrCat(w.path, ": case \"", id, "\": header does not parse"));
    }
    digest = Digest(header.incident());
  }
  sqlite3_reset(s);
  return digest;
}

absl::Status SqliteCaseStore::InsertAudit(Connection& w,
                                          absl::Span<v1::AuditRecord> records) const {
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * last,
                            w.Prepare("SELECT COALESCE(MAX(seq), 0) FROM audit"));
  int rc = sqlite3_step(last);
  if (rc != SQLITE_ROW) return w.Error(rc, "reading the audit trail");
  int64_t seq = sqlite3_column_int64(last, 0);
  sqlite3_reset(last);
  std::string body;
  for (v1::AuditRecord& r : records) {
    r.set_seq(++seq);
    body.clear();
    r.SerializeToString(&body);
    FENGQIAO_ASSIGN_OR_RETURN(
        sqlite3_stmt * insert,
        w.Prepare("INSERT INTO audit(seq, at, member, action, body) VALUES(?, ?, ?, ?, ?)"));
    sqlite3_bind_int64(insert, 1, seq);
    sqlite3_bind_int64(insert, 2, r.at().seconds());
    BindText(insert, 3, r.viewer().member_id());
    sqlite3_bind_int(insert, 4, r.action());
    BindBlob(insert, 5, Sealed(body, AuditPlace(seq)));
    rc = sqlite3_step(insert);
    if (rc != SQLITE_DONE) return w.Error(rc, "appending to the audit trail");
    for (const std::string& case_id : r.case_ids()) {
      FENGQIAO_ASSIGN_OR_RETURN(
          sqlite3_stmt * link,
          w.Prepare("INSERT OR IGNORE INTO audit_cases(case_id, seq) VALUES(?, ?)"));
      BindText(link, 1, case_id);
      sqlite3_bind_int64(link, 2, seq);
      rc = sqlite3_step(link);
      if (rc != SQLITE_DONE) return w.Error(rc, "appending to the audit trail");
    }
  }
  return absl::OkStatus();
}

absl::Status SqliteCaseStore::Write(absl::FunctionRef<absl::Status(Connection&)> body,
                                    absl::string_view what) {
  if (options_.read_only) {
    return absl::FailedPreconditionError(
        absl::StrCat(path_, ": the store was opened read-only; ", what, " cannot be written"));
  }
  std::lock_guard lock(write_mu_);
  Connection& w = *writer_;
  FENGQIAO_RETURN_IF_ERROR(w.Exec("BEGIN IMMEDIATE"));
  absl::Status s = body(w);
  if (s.ok()) s = w.Exec("COMMIT");
  if (!s.ok()) (void)w.Exec("ROLLBACK");
  return s;
}

absl::Status SqliteCaseStore::AppendAudit(absl::Span<v1::AuditRecord> records) {
  return Write([&](Connection& w) { return InsertAudit(w, records); }, "the audit trail");
}

absl::Status SqliteCaseStore::RewriteCases(absl::FunctionRef<bool(v1::Case&)> edit,
                                           v1::AuditRecord& record) {
  return Write(
      [&](Connection& w) -> absl::Status {
        // One pass over the stored cases, keeping only the ones the edit changes.
        std::vector<std::pair<v1::Case, v1::Case>> changed;  // before, after
        FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * all,
                                  w.Prepare("SELECT id, header FROM cases ORDER BY id"));
        int rc;
        while ((rc = sqlite3_step(all)) == SQLITE_ROW) {
          const std::string id(reinterpret_cast<const char*>(sqlite3_column_text(all, 0)));
          v1::Case c;
          if (!ParseSealed(ColumnBlob(all, 1), CasePlace(id), &c)) {
            sqlite3_reset(all);
            return absl::DataLossError(
                absl::StrCat(path_, ": case \"", id, "\": header does not parse"));
          }
          absl::StatusOr<sqlite3_stmt*> events =
              w.Prepare("SELECT body FROM events WHERE case_id = ? ORDER BY seq");
          if (!events.ok()) {
            sqlite3_reset(all);
            return events.status();
          }
          BindText(*events, 1, id);
          int erc;
          while ((erc = sqlite3_step(*events)) == SQLITE_ROW) {
            const std::string place = EventPlace(id, c.events_size() + 1);  // before add_events()
            if (!ParseSealed(ColumnBlob(*events, 0), place, c.add_events())) {
              sqlite3_reset(*events);
              sqlite3_reset(all);
              return absl::DataLossError(
                  absl::StrCat(path_, ": case \"", id, "\": an event does not parse"));
            }
          }
          sqlite3_reset(*events);
          if (erc != SQLITE_DONE) {
            sqlite3_reset(all);
            return w.Error(erc, "reading events");
          }
          v1::Case after = c;
          if (!edit(after)) continue;
          absl::Status same = store_internal::CheckSameLog(c, after, options_.loop_options);
          if (!same.ok()) {
            sqlite3_reset(all);
            return same;
          }
          changed.emplace_back(std::move(c), std::move(after));
        }
        sqlite3_reset(all);
        if (rc != SQLITE_DONE) return w.Error(rc, "reading cases");

        record.clear_case_ids();
        std::string bytes;
        for (const auto& [before, after] : changed) {
          record.add_case_ids(after.id());
          for (const v1::CaseEvent& e : after.events()) {
            FENGQIAO_ASSIGN_OR_RETURN(
                sqlite3_stmt * update,
                w.Prepare("UPDATE events SET body = ? WHERE case_id = ? AND seq = ?"));
            bytes.clear();
            e.SerializeToString(&bytes);
            BindBlob(update, 1, Sealed(bytes, EventPlace(after.id(), e.seq())));
            BindText(update, 2, after.id());
            sqlite3_bind_int64(update, 3, e.seq());
            rc = sqlite3_step(update);
            if (rc != SQLITE_DONE) return w.Error(rc, "rewriting an event");
          }
          v1::Case header = after;
          header.clear_events();
          bytes.clear();
          header.SerializeToString(&bytes);
          FENGQIAO_ASSIGN_OR_RETURN(
              sqlite3_stmt * update,
              w.Prepare("UPDATE cases SET header = ?, incident_digest = ? WHERE id = ?"));
          BindBlob(update, 1, Sealed(bytes, CasePlace(after.id())));
          BindBlob(update, 2, Digest(after.incident()));
          BindText(update, 3, after.id());
          rc = sqlite3_step(update);
          if (rc != SQLITE_DONE) return w.Error(rc, "rewriting a case");
        }
        return InsertAudit(w, absl::MakeSpan(&record, 1));
      },
      "an erasure");
}

absl::StatusOr<std::vector<v1::AuditRecord>> SqliteCaseStore::ReadAudit(const AuditQuery& q) const {
  std::string sql = "SELECT body, seq FROM audit WHERE 1";
  if (q.since.has_value()) sql += " AND at >= ?";
  if (q.until.has_value()) sql += " AND at < ? + 1";  // whole seconds; AuditSelects decides
  if (!q.member_id.empty()) sql += " AND member = ?";
  if (q.action.has_value()) sql += " AND action = ?";
  if (!q.case_id.empty()) sql += " AND seq IN (SELECT seq FROM audit_cases WHERE case_id = ?)";
  sql += " ORDER BY seq";
  FENGQIAO_ASSIGN_OR_RETURN(ReaderLease r, Reader());
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * s, r->Prepare(sql));
  int i = 1;
  if (q.since.has_value()) {
    sqlite3_bind_int64(
        s, i++, absl::ToInt64Seconds(absl::Floor(*q.since - absl::UnixEpoch(), absl::Seconds(1))));
  }
  if (q.until.has_value()) sqlite3_bind_int64(s, i++, absl::ToUnixSeconds(*q.until));
  if (!q.member_id.empty()) BindText(s, i++, q.member_id);
  if (q.action.has_value()) sqlite3_bind_int(s, i++, *q.action);
  if (!q.case_id.empty()) BindText(s, i++, q.case_id);
  std::vector<v1::AuditRecord> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    v1::AuditRecord record;
    if (!ParseSealed(ColumnBlob(s, 0), AuditPlace(sqlite3_column_int64(s, 1)), &record)) {
      sqlite3_reset(s);
      return absl::DataLossError(absl::StrCat(path_, ": an audit record does not open or parse"));
    }
    if (!AuditSelects(q, record)) continue;
    out.push_back(std::move(record));
    if (q.limit > 0 && static_cast<int>(out.size()) >= q.limit) break;
  }
  sqlite3_reset(s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return r->Error(rc, "reading the audit trail");
  return out;
}

absl::StatusOr<int64_t> SqliteCaseStore::Scalar(const char* sql) const {
  FENGQIAO_ASSIGN_OR_RETURN(ReaderLease r, Reader());
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * s, r->Prepare(sql));
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) return r->Error(rc, sql);
  const int64_t v = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  return v;
}

absl::StatusOr<int64_t> SqliteCaseStore::CountCases() const {
  return Scalar("SELECT COUNT(*) FROM cases");
}

absl::StatusOr<int64_t> SqliteCaseStore::CountEvents() const {
  return Scalar("SELECT COUNT(*) FROM events");
}

absl::StatusOr<int> SqliteCaseStore::SchemaVersion() const {
  FENGQIAO_ASSIGN_OR_RETURN(int64_t v, Scalar("PRAGMA user_version"));
  return static_cast<int>(v);
}

absl::Status SqliteCaseStore::IntegrityCheck() const {
  FENGQIAO_ASSIGN_OR_RETURN(ReaderLease r, Reader());
  FENGQIAO_ASSIGN_OR_RETURN(sqlite3_stmt * s, r->Prepare("PRAGMA integrity_check"));
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) return r->Error(rc, "integrity_check");
  const std::string result(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  sqlite3_reset(s);
  if (result != "ok") return absl::DataLossError(absl::StrCat(path_, ": ", result));
  return absl::OkStatus();
}

}  // namespace fengqiao
