// File: fengqiao/store/sqlite_case_store.h
// The embedded default CaseStore: one SQLite file in WAL mode, synchronous=FULL by default (an
// acknowledged Save survives a crash or power loss), a versioned schema migrated on open, one
// transaction per Save, readers that run beside the one writer.
//
//   const std::string path =
//       (std::filesystem::temp_directory_path() / "fengqiao-example-sqlite.db").string();
//   for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
//   {
//     FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<fengqiao::SqliteCaseStore> store,
//                               fengqiao::SqliteCaseStore::Open(path));  // created, schema current
//   }
//   // For metrics: read-only, nothing in the file or its folder changes.
//   fengqiao::SqliteOptions options;
//   options.read_only = true;
//   FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<fengqiao::SqliteCaseStore> reader,
//                             fengqiao::SqliteCaseStore::Open(path, options));
//   FENGQIAO_ASSIGN_OR_RETURN(int64_t cases, reader->CountCases());
//   if (cases != 0) return absl::InternalError("a new store is empty");
//   // Not durable, so refused:
//   if (!absl::IsInvalidArgument(fengqiao::SqliteCaseStore::Open(":memory:").status())) {
//     return absl::InternalError(":memory: is refused");
//   }
//
// Thread safety: safe from several threads. Saves are serialised on the writer connection;
// reads use their own connections and see the last committed state. Several processes may open
// the same file: SQLite's lock serialises their saves and CaseStore::Save's conflict check
// (Aborted) keeps each from overwriting another's events.
#ifndef FENGQIAO_STORE_SQLITE_CASE_STORE_H_
#define FENGQIAO_STORE_SQLITE_CASE_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/store/case_store.h"
#include "google/protobuf/message_lite.h"

namespace fengqiao {
namespace store_internal {
class StoreCipher;
}  // namespace store_internal

struct SqliteOptions {
  // synchronous: FULL syncs the WAL at every commit (durable); NORMAL syncs at checkpoints only
  // (an OS crash may lose the last commits, never corrupt); OFF leaves it to the OS.
  enum class Sync { kFull, kNormal, kOff };
  Sync sync = Sync::kFull;
  // How long a connection waits for a lock before failing, in milliseconds.
  int busy_timeout_ms = 5000;
  // Opens an existing store for reading only (metrics, reports, a copy on a read-only disk):
  // nothing in the file or its folder is created or changed, no migration runs, and Save fails
  // with FailedPrecondition. A file in a folder this process cannot write is read as a snapshot
  // (SQLite's immutable mode: saves made by others after the open are not seen), unless a -wal
  // file beside it holds saves not yet in the file (PermissionDenied: open it read-write once).
  bool read_only = false;
  // Encryption at rest: the store's 32-byte key (ReadStoreKeyFile, StoreKeyFromEnvironment);
  // empty for a store in clear. A new or empty store opened with a key is encrypted from then
  // on: every case header, event and audit record is sealed (XChaCha20-Poly1305, libsodium) and
  // the file holds no name, phone or free text in clear; the columns the queries use (state,
  // tier, grid code, assignee id, due time) stay readable. Opening an encrypted store without
  // its key is FailedPrecondition, with another key PermissionDenied ("a wrong key"); a store
  // holding cases in clear cannot be opened with a key (FailedPrecondition).
  std::string key;
  // The closure loop's options the district records its cases under (working calendar, caps,
  // supervision rules): Save replays every log under them (a log that replays only under other
  // rules is refused). Null: the defaults.
  std::shared_ptr<const CaseLoopOptions> loop_options;
};

// Reads a store key from a file holding its 64 hex digits (whitespace around them ignored).
// The file must be a regular file that only its owner may read or write (PermissionDenied
// otherwise: chmod 600), of at most 4 KiB. Errors name the path, never the content.
absl::StatusOr<std::string> ReadStoreKeyFile(absl::string_view path);
// The key in the environment variable `name` (64 hex digits); NotFound when it is unset.
absl::StatusOr<std::string> StoreKeyFromEnvironment(const char* name = "FENGQIAO_STORE_KEY");

class SqliteCaseStore : public CaseStore {
 public:
  // The schema version this build writes; files with an older one are migrated on open, files
  // with a newer one are refused (FailedPrecondition).
  static constexpr int kSchemaVersion = 4;

  // Opens (creating if needed) the store at `path`; with options.read_only, opens an existing
  // store without changing anything. Errors name the path (and SQLite's message):
  //   InvalidArgument: "" or ":memory:" (SQLite would keep the store in memory or a temporary
  //     file: not durable; use MemoryCaseStore for an in-process store).
  //   FailedPrecondition: a file of a newer schema version (refused before anything in it is
  //     changed, even its journal mode); read-only: a file of an older schema (needs migrating).
  //   NotFound: read-only, and there is no file at `path`.
  //   DataLoss: not an SQLite file, or a corrupt one.
  //   PermissionDenied: the file or its folder cannot be opened (read-write: written).
  //   Unavailable: another process held the write lock past the busy timeout.
  static absl::StatusOr<std::unique_ptr<SqliteCaseStore>> Open(absl::string_view path,
                                                               const SqliteOptions& options = {});
  ~SqliteCaseStore() override;

  absl::Status Save(absl::Span<const v1::Case* const> cases, absl::Time now) override;
  absl::StatusOr<v1::Case> Get(absl::string_view id) const override;
  absl::StatusOr<std::vector<v1::CaseEvent>> Timeline(absl::string_view id) const override;
  absl::StatusOr<std::vector<std::string>> Find(const CaseQuery& query) const override;
  absl::StatusOr<int64_t> CountCases() const override;
  absl::StatusOr<int64_t> CountEvents() const override;

  // The schema version of the open file (after migration).
  absl::StatusOr<int> SchemaVersion() const;
  // PRAGMA integrity_check; OK when SQLite finds the file sound.
  absl::Status IntegrityCheck() const;

  const std::string& path() const { return path_; }

 protected:
  absl::Status AppendAudit(absl::Span<v1::AuditRecord> records) override;
  absl::StatusOr<std::vector<v1::AuditRecord>> ReadAudit(const AuditQuery& query) const override;
  absl::Status RewriteCases(absl::FunctionRef<bool(v1::Case&)> edit,
                            v1::AuditRecord& record) override;

 public:
  // One SQLite connection with its cached statements (defined in the .cc file; opaque here).
  struct Connection;

 private:
  SqliteCaseStore(std::string path, SqliteOptions options);
  static absl::StatusOr<std::unique_ptr<SqliteCaseStore>> OpenReadOnly(
      std::unique_ptr<SqliteCaseStore> store);
  absl::StatusOr<std::unique_ptr<Connection>> Connect(bool writer) const;
  // A reader connection from the pool (made on demand), returned to it when the lease ends.
  class ReaderLease;
  absl::StatusOr<ReaderLease> Reader() const;
  void Release(std::unique_ptr<Connection> c) const;
  // One write transaction on the writer connection: BEGIN IMMEDIATE, `body`, COMMIT (ROLLBACK
  // when it fails). FailedPrecondition on a read-only store, naming `what`.
  absl::Status Write(absl::FunctionRef<absl::Status(Connection&)> body, absl::string_view what);
  // Appends audit records inside the caller's write transaction.
  absl::Status InsertAudit(Connection& w, absl::Span<v1::AuditRecord> records) const;
  // The stored case's incident digest ("" when the case is not stored), in a write transaction.
  absl::StatusOr<std::string> StoredIncidentDigest(Connection& w, const std::string& id) const;
  // Encryption at rest: blobs sealed under the key at their place (in clear without a key).
  std::string Sealed(const std::string& plain, absl::string_view place) const;
  bool Unseal(const std::string& blob, absl::string_view place, std::string* plain) const;
  bool ParseSealed(const std::string& blob, absl::string_view place,
                   google::protobuf::MessageLite* message) const;
  // The incident digest as stored: keyed with the store's key when it is encrypted.
  std::string Digest(const v1::Incident& incident) const;
  // Checks the key against the store's key check; with `may_encrypt`, an empty store opened with
  // a key becomes encrypted (the check written in the caller's transaction).
  absl::Status CheckKey(Connection& c, bool may_encrypt);
  // The first column of the first row of a query, on a reader.
  absl::StatusOr<int64_t> Scalar(const char* sql) const;

  std::string path_;
  SqliteOptions options_;
  std::shared_ptr<const store_internal::StoreCipher> cipher_;  // null: a store in clear
  bool immutable_ = false;  // read-only and opened with immutable=1 (set by Open)
  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;  // guarded by write_mu_
  mutable std::mutex pool_mu_;
  mutable std::vector<std::unique_ptr<Connection>> readers_;  // guarded by pool_mu_
};

}  // namespace fengqiao

#endif  // FENGQIAO_STORE_SQLITE_CASE_STORE_H_
