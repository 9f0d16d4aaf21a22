#pragma once
// The usage and cost ledger: one SQLite row per request, in WAL mode, written by
// its own thread so no I/O thread ever waits on the disk. Rows are committed at
// most `commit_interval` after they are recorded; a graceful close commits
// everything, and after a kill -9 the database opens consistent with every row
// committed before then. A commit that fails (disk full, database locked by another
// writer) is rolled back, reported, and its rows are kept and tried again at the next
// interval, up to kMaxPendingRows; what a close cannot write is reported as lost.
#include <condition_variable>
#include <map>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace llmux::gateway {

struct LedgerRow {
  std::int64_t ts_ms = 0;            // wall clock, when the request finished
  std::string request_id;
  std::string key_id;
  std::string team;
  std::string route;                 // alias the client asked for
  std::string deployment;            // the one that answered (or was tried last)
  std::string locality;              // local | cloud | "" when nothing was dispatched
  std::string model;                 // upstream model id
  int status = 0;                    // HTTP status sent to the client
  std::string error_kind;            // "" on success
  std::int64_t prompt_tokens = 0, completion_tokens = 0, cached_tokens = 0, reasoning_tokens = 0;
  double ttft_ms = 0, e2e_ms = 0;
  double cost_usd = 0;
  bool stream = false;
  int attempts = 0;
  std::string privacy_classes;       // class names and counts, never matched text
  std::string privacy_action;
};

class Ledger {
 public:
  // Rows kept for another try after failed commits; beyond it the oldest are dropped
  // (and reported).
  static constexpr std::size_t kMaxPendingRows = 1'000'000;
  using ErrorLog = std::function<void(const std::string&)>;

  // `log` receives failed commits and lost rows (called on the writer thread); by
  // default they go to stderr.
  static Result<std::unique_ptr<Ledger>> open(const std::string& path, Nanos commit_interval, ErrorLog log = {});
  ~Ledger();

  // Queues a row; never blocks on the disk.
  void record(LedgerRow row);
  // Blocks until every row recorded so far is committed, or until a commit tried
  // after the call failed (the rows stay queued for the next try).
  void flush();
  void close();
  std::uint64_t committed() const;
  const std::string& path() const { return path_; }

 private:
  Ledger() = default;
  void writer_loop();
  bool commit(std::vector<LedgerRow>& rows);
  bool insert_rows(std::vector<LedgerRow>& rows);
  void finalize_statements();
  void report(const std::string& what) const;

  std::string path_;
  Nanos interval_ = 0;
  sqlite3* db_ = nullptr;
  // The writer thread's statements, prepared at its first commit and kept: one row,
  // several rows (ledger.cpp: kRowsPerInsert), a spend total.
  sqlite3_stmt* insert_one_ = nullptr;
  sqlite3_stmt* insert_many_ = nullptr;
  sqlite3_stmt* add_spend_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable flushed_;
  std::vector<LedgerRow> queue_;
  std::uint64_t queued_ = 0;     // rows ever queued
  std::uint64_t committed_ = 0;  // rows ever committed
  std::uint64_t dropped_ = 0;    // rows given up after kMaxPendingRows waited
  std::uint64_t attempts_ = 0;   // commits tried (the writer's rounds with rows)
  bool last_failed_ = false;
  ErrorLog log_;
  std::string last_error_;  // the writer thread's last failed commit, for its report
  bool stop_ = false;
  bool flush_now_ = false;
  std::thread writer_;
};

// Summaries for `llmux usage`.
struct UsageGroup {
  std::string key;  // the group's value (key id, route, deployment or day)
  std::int64_t requests = 0, errors = 0;
  std::int64_t prompt_tokens = 0, completion_tokens = 0, cached_tokens = 0;
  double cost_local = 0, cost_cloud = 0;
  double avg_ttft_ms = 0, avg_e2e_ms = 0;
};

// Money spent since the start of the UTC day and of the month, per "key:<id>" and
// "team:<name>" (budgets pick up where they were after a restart).
struct Spend {
  double today = 0, this_month = 0;
};
Result<std::map<std::string, Spend>> query_spend(const std::string& path, std::int64_t day_start_ms,
                                                 std::int64_t month_start_ms);

// group_by: key, team, route, deployment, locality, day. since_ms: wall-clock lower bound.
Result<std::vector<UsageGroup>> query_usage(const std::string& path, std::int64_t since_ms, const std::string& group_by);

}  // namespace llmux::gateway
