#include "gateway/ledger.hpp"

#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>

#include "gateway/budgets.hpp"

namespace llmux::gateway {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY,
  ts_ms INTEGER NOT NULL,
  request_id TEXT, key_id TEXT, team TEXT, route TEXT, deployment TEXT, locality TEXT, model TEXT,
  status INTEGER, error_kind TEXT,
  prompt_tokens INTEGER, completion_tokens INTEGER, cached_tokens INTEGER, reasoning_tokens INTEGER,
  ttft_ms REAL, e2e_ms REAL, cost_usd REAL, stream INTEGER, attempts INTEGER,
  privacy_classes TEXT, privacy_action TEXT);
CREATE INDEX IF NOT EXISTS requests_ts ON requests(ts_ms);
)sql";

// Running spend per UTC day and budget subject ("key:<id>", "team:<name>"), kept in
// the same transaction as the rows it sums, so that a gateway start reads a few rows
// per day instead of scanning the month's requests (millions on a busy gateway).
// Version 1 of the schema (PRAGMA user_version) adds it, filled once from the rows
// already there.
constexpr const char* kSpendSchema = R"sql(
CREATE TABLE IF NOT EXISTS spend_daily (
  day_ms INTEGER NOT NULL, subject TEXT NOT NULL, cost_usd REAL NOT NULL,
  PRIMARY KEY (day_ms, subject)) WITHOUT ROWID;
INSERT INTO spend_daily (day_ms, subject, cost_usd)
  SELECT ts_ms - ts_ms % 86400000, 'key:' || key_id, SUM(cost_usd) FROM requests
  WHERE key_id <> '' GROUP BY 1, 2 HAVING SUM(cost_usd) <> 0;
INSERT INTO spend_daily (day_ms, subject, cost_usd)
  SELECT ts_ms - ts_ms % 86400000, 'team:' || team, SUM(cost_usd) FROM requests
  WHERE team <> '' GROUP BY 1, 2 HAVING SUM(cost_usd) <> 0;
PRAGMA user_version = 1;
)sql";

constexpr const char* kAddSpend =
    "INSERT INTO spend_daily (day_ms, subject, cost_usd) VALUES (?,?,?) "
    "ON CONFLICT (day_ms, subject) DO UPDATE SET cost_usd = cost_usd + excluded.cost_usd";

constexpr int kColumns = 21;
// Rows per INSERT statement: a statement's fixed cost (setting up, halting, resetting)
// is paid once per this many rows; a batch's remainder goes one row at a time.
constexpr int kRowsPerInsert = 16;

// INSERT INTO requests (...) VALUES (?,...), ... with `rows` rows of parameters.
std::string insert_sql(int rows) {
  std::string sql =
      "INSERT INTO requests (ts_ms, request_id, key_id, team, route, deployment, locality, model, status, error_kind, "
      "prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, ttft_ms, e2e_ms, cost_usd, stream, attempts, "
      "privacy_classes, privacy_action) VALUES ";
  for (int r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (int c = 0; c < kColumns; ++c) sql += c ? ",?" : "?";
    sql += ')';
  }
  return sql;
}

Error sqlite_error(sqlite3* db, const std::string& what, const std::string& path) {
  return Error{ErrorCode::io, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"), path, 0};
}

// The text is not copied: what is bound (the batch's rows, its spend keys) outlives
// every run of the statement, and commit() clears the bindings before it returns.
void bind_text(sqlite3_stmt* st, int i, const std::string& s) {
  sqlite3_bind_text(st, i, s.c_str(), static_cast<int>(s.size()), SQLITE_STATIC);
}

// Binds the row's columns to parameters first, first + 1, ...
void bind_row(sqlite3_stmt* st, const LedgerRow& r, int first = 1) {
  int i = first;
  sqlite3_bind_int64(st, i++, r.ts_ms);
  for (const std::string* s : {&r.request_id, &r.key_id, &r.team, &r.route, &r.deployment, &r.locality, &r.model})
    bind_text(st, i++, *s);
  sqlite3_bind_int(st, i++, r.status);
  bind_text(st, i++, r.error_kind);
  for (std::int64_t v : {r.prompt_tokens, r.completion_tokens, r.cached_tokens, r.reasoning_tokens})
    sqlite3_bind_int64(st, i++, v);
  sqlite3_bind_double(st, i++, r.ttft_ms);
  sqlite3_bind_double(st, i++, r.e2e_ms);
  sqlite3_bind_double(st, i++, r.cost_usd);
  sqlite3_bind_int(st, i++, r.stream ? 1 : 0);
  sqlite3_bind_int(st, i++, r.attempts);
  bind_text(st, i++, r.privacy_classes);
  bind_text(st, i++, r.privacy_action);
}

Result<sqlite3*> open_db(const std::string& path, bool create) {
  std::error_code ec;
  if (create) {
    auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  }
  sqlite3* db = nullptr;
  int flags = create ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    Error e = sqlite_error(db, "cannot open the ledger", path);
    sqlite3_close(db);
    return tl::unexpected(e);
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::open(const std::string& path, Nanos commit_interval, ErrorLog log) {
  auto db = open_db(path, true);
  if (!db) return tl::unexpected(db.error());
  std::unique_ptr<Ledger> l(new Ledger());
  l->db_ = *db;
  l->path_ = path;
  l->interval_ = commit_interval;
  l->log_ = std::move(log);
  char* err = nullptr;
  // WAL: readers (llmux usage) never block the writer; NORMAL sync survives a killed process.
  std::string setup = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;") + kSchema;
  if (sqlite3_exec(l->db_, setup.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return fail(ErrorCode::io, "cannot prepare the ledger: " + msg, path);
  }
  // The schema version is read inside the write transaction, so that two gateways
  // starting on one old ledger do not both add the totals.
  bool migrated = sqlite3_exec(l->db_, "BEGIN IMMEDIATE", nullptr, nullptr, &err) == SQLITE_OK;
  if (migrated) {
    sqlite3_stmt* version = nullptr;
    int user_version = 0;
    if (sqlite3_prepare_v2(l->db_, "PRAGMA user_version", -1, &version, nullptr) == SQLITE_OK &&
        sqlite3_step(version) == SQLITE_ROW)
      user_version = sqlite3_column_int(version, 0);
    sqlite3_finalize(version);
    if (user_version < 1) migrated = sqlite3_exec(l->db_, kSpendSchema, nullptr, nullptr, &err) == SQLITE_OK;
    if (migrated) migrated = sqlite3_exec(l->db_, "COMMIT", nullptr, nullptr, &err) == SQLITE_OK;
  }
  if (!migrated) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    sqlite3_exec(l->db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail(ErrorCode::io, "cannot add spend totals to the ledger: " + msg, path);
  }
  l->writer_ = std::thread([p = l.get()] { p->writer_loop(); });
  pthread_setname_np(l->writer_.native_handle(), "llmux-ledger");  // as `top -H` shows it
  return l;
}

Ledger::~Ledger() { close(); }

void Ledger::record(LedgerRow row) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(row));
    ++queued_;
  }
}

void Ledger::flush() {
  std::unique_lock lock(mu_);
  std::uint64_t target = queued_;
  std::uint64_t tried = attempts_;
  flush_now_ = true;
  cv_.notify_one();
  flushed_.wait(lock, [&] {
    return committed_ + dropped_ >= target || !writer_.joinable() || (attempts_ > tried && last_failed_);
  });
}

void Ledger::report(const std::string& what) const {
  if (log_) log_(what);
  else std::fprintf(stderr, "llmux: %s\n", what.c_str());
}

void Ledger::close() {
  {
    std::lock_guard lock(mu_);
    if (!writer_.joinable()) {  // closed already, or failed to open before its writer started
      if (db_) sqlite3_close(db_);
      db_ = nullptr;
      return;
    }
    stop_ = true;
  }
  cv_.notify_one();
  writer_.join();
  finalize_statements();
  sqlite3_close(db_);
  db_ = nullptr;
  flushed_.notify_all();
}

std::uint64_t Ledger::committed() const {
  std::lock_guard lock(const_cast<std::mutex&>(mu_));
  return committed_;
}

void Ledger::writer_loop() {
  std::vector<LedgerRow> incoming;
  std::vector<LedgerRow> pending;  // rows not committed yet: this round's, and failed rounds'
  std::uint64_t failures = 0;      // consecutive failed commits
  for (;;) {
    bool stopping;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::nanoseconds(interval_), [&] { return stop_ || flush_now_; });
      flush_now_ = false;
      stopping = stop_;
      incoming.swap(queue_);
    }
    if (pending.empty()) pending.swap(incoming);
    else std::move(incoming.begin(), incoming.end(), std::back_inserter(pending));
    incoming.clear();
    if (pending.size() > kMaxPendingRows) {
      std::size_t drop = pending.size() - kMaxPendingRows;
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(drop));
      {
        std::lock_guard lock(mu_);
        dropped_ += drop;
      }
      report("ledger " + path_ + ": " + std::to_string(drop) + " rows lost: more than " +
             std::to_string(kMaxPendingRows) + " rows wait for a commit that keeps failing");
    }
    bool ok = true;
    std::size_t n = pending.size();
    if (n) ok = commit(pending);
    if (ok) {
      pending.clear();
      if (failures) report("ledger " + path_ + ": commits work again; " + std::to_string(n) + " waiting rows written");
      failures = 0;
    } else if (failures++ == 0 || failures % 100 == 0 || stopping) {  // the first failure, then now and then
      report("ledger " + path_ + ": cannot commit " + std::to_string(n) + " rows (" + last_error_ + ")" +
             (stopping ? "; they are lost" : "; keeping them and trying again"));
    }
    {
      std::lock_guard lock(mu_);
      if (ok) committed_ += n;
      if (n) {
        ++attempts_;
        last_failed_ = !ok;
      }
    }
    flushed_.notify_all();
    if (stopping) {
      std::lock_guard lock(mu_);
      if (queue_.empty() && (pending.empty() || !ok)) return;
    }
  }
}

bool Ledger::commit(std::vector<LedgerRow>& rows) {
  if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    last_error_ = sqlite3_errmsg(db_);
    return false;
  }
  bool ok = insert_rows(rows) && sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
  if (!ok) {
    last_error_ = sqlite3_errmsg(db_);  // before ROLLBACK replaces it
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  for (auto* st : {insert_one_, insert_many_, add_spend_})
    if (st) sqlite3_clear_bindings(st);  // no pointers into the rows and spend keys once they go
  return ok;
}

// The batch's rows and its spend totals, inside commit()'s transaction; false at the
// first statement that fails.
bool Ledger::insert_rows(std::vector<LedgerRow>& rows) {
  if (!add_spend_) {
    bool prepared =
        sqlite3_prepare_v3(db_, insert_sql(1).c_str(), -1, SQLITE_PREPARE_PERSISTENT, &insert_one_, nullptr) == SQLITE_OK &&
        sqlite3_prepare_v3(db_, insert_sql(kRowsPerInsert).c_str(), -1, SQLITE_PREPARE_PERSISTENT, &insert_many_, nullptr) ==
            SQLITE_OK &&
        sqlite3_prepare_v3(db_, kAddSpend, -1, SQLITE_PREPARE_PERSISTENT, &add_spend_, nullptr) == SQLITE_OK;
    if (!prepared) {
      finalize_statements();
      return false;
    }
  }
  // After each statement the writer gives way to any thread that wants its CPU: a request
  // thread woken on the same CPU would otherwise often wait for the rest of the commit
  // (milliseconds; bench/README.md has the figures), and a yield that finds nobody costs
  // about a microsecond per 16 rows.
  auto run = [](sqlite3_stmt* st) {
    bool done = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    sched_yield();
    return done;
  };
  // Every parameter is bound again for each run, so no clearing in between.
  std::size_t i = 0;
  for (; i + kRowsPerInsert <= rows.size(); i += kRowsPerInsert) {
    for (int r = 0; r < kRowsPerInsert; ++r)
      bind_row(insert_many_, rows[i + static_cast<std::size_t>(r)], 1 + r * kColumns);
    if (!run(insert_many_)) return false;
  }
  for (; i < rows.size(); ++i) {
    bind_row(insert_one_, rows[i]);
    if (!run(insert_one_)) return false;
  }
  // The batch's spend per (day, subject), added to the running totals in the same
  // transaction as the rows.
  std::map<std::pair<std::int64_t, std::string>, double> spend;
  for (const auto& r : rows) {
    if (r.cost_usd == 0) continue;
    std::int64_t day = start_of_day(r.ts_ms * kNanosPerMilli) / kNanosPerMilli;  // the budgets' UTC day
    if (!r.key_id.empty()) spend[{day, "key:" + r.key_id}] += r.cost_usd;
    if (!r.team.empty()) spend[{day, "team:" + r.team}] += r.cost_usd;
  }
  bool ok = true;
  for (const auto& [at, cost] : spend) {
    sqlite3_bind_int64(add_spend_, 1, at.first);
    bind_text(add_spend_, 2, at.second);
    sqlite3_bind_double(add_spend_, 3, cost);
    if (!(ok = run(add_spend_))) break;
  }
  return ok;
}

void Ledger::finalize_statements() {
  for (auto** st : {&insert_one_, &insert_many_, &add_spend_}) {
    sqlite3_finalize(*st);  // (null is fine)
    *st = nullptr;
  }
}

Result<std::vector<UsageGroup>> query_usage(const std::string& path, std::int64_t since_ms, const std::string& group_by) {
  std::string col;
  if (group_by == "key") col = "COALESCE(NULLIF(key_id,''),'(none)')";
  else if (group_by == "team") col = "COALESCE(NULLIF(team,''),'(none)')";
  else if (group_by == "route") col = "COALESCE(NULLIF(route,''),'(none)')";
  else if (group_by == "deployment") col = "COALESCE(NULLIF(deployment,''),'(none)')";
  else if (group_by == "locality") col = "COALESCE(NULLIF(locality,''),'(none)')";
  else if (group_by == "day") col = "strftime('%Y-%m-%d', ts_ms / 1000, 'unixepoch')";
  else return fail(ErrorCode::usage, "cannot group by '" + group_by + "'", "--by key|team|route|deployment|locality|day");
  if (!std::filesystem::exists(path)) return fail(ErrorCode::io, "no ledger at " + path + " yet", "run llmux serve first, or pass --ledger");
  auto db = open_db(path, false);
  if (!db) return tl::unexpected(db.error());
  std::string sql = "SELECT " + col +
                    ", COUNT(*), SUM(error_kind <> ''), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), "
                    "SUM(CASE WHEN locality='local' THEN cost_usd ELSE 0 END), "
                    "SUM(CASE WHEN locality='cloud' THEN cost_usd ELSE 0 END), "
                    // Latency averages over the requests that succeeded (a refusal's few
                    // microseconds or a timeout's minute would say nothing of the service).
                    "AVG(CASE WHEN error_kind = '' AND stream = 1 AND ttft_ms > 0 THEN ttft_ms END), "
                    "AVG(CASE WHEN error_kind = '' THEN e2e_ms END) "
                    "FROM requests WHERE ts_ms >= ? GROUP BY 1 ORDER BY 1";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(*db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    Error e = sqlite_error(*db, "cannot read the ledger", path);
    sqlite3_close(*db);
    return tl::unexpected(e);
  }
  sqlite3_bind_int64(st, 1, since_ms);
  std::vector<UsageGroup> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    UsageGroup g;
    const unsigned char* k = sqlite3_column_text(st, 0);
    g.key = k ? reinterpret_cast<const char*>(k) : "";
    g.requests = sqlite3_column_int64(st, 1);
    g.errors = sqlite3_column_int64(st, 2);
    g.prompt_tokens = sqlite3_column_int64(st, 3);
    g.completion_tokens = sqlite3_column_int64(st, 4);
    g.cached_tokens = sqlite3_column_int64(st, 5);
    g.cost_local = sqlite3_column_double(st, 6);
    g.cost_cloud = sqlite3_column_double(st, 7);
    g.avg_ttft_ms = sqlite3_column_double(st, 8);
    g.avg_e2e_ms = sqlite3_column_double(st, 9);
    out.push_back(std::move(g));
  }
  sqlite3_finalize(st);
  sqlite3_close(*db);
  return out;
}

}  // namespace llmux::gateway

namespace llmux::gateway {

Result<std::map<std::string, Spend>> query_spend(const std::string& path, std::int64_t day_start_ms,
                                                 std::int64_t month_start_ms) {
  std::map<std::string, Spend> out;
  if (!std::filesystem::exists(path)) return out;
  auto db = open_db(path, false);
  if (!db) return tl::unexpected(db.error());
  // From the running totals; a ledger no gateway of this version has opened yet has
  // none, and then the rows themselves are summed.
  sqlite3_stmt* probe = nullptr;
  bool totals = sqlite3_prepare_v2(*db, "SELECT 1 FROM spend_daily LIMIT 1", -1, &probe, nullptr) == SQLITE_OK;
  sqlite3_finalize(probe);
  const char* sql =
      totals ? "SELECT subject, SUM(CASE WHEN day_ms >= ?1 THEN cost_usd ELSE 0 END), SUM(cost_usd) FROM spend_daily "
               "WHERE day_ms >= ?2 GROUP BY subject"
             : "SELECT 'key:' || key_id, SUM(CASE WHEN ts_ms >= ?1 THEN cost_usd ELSE 0 END), SUM(cost_usd) FROM requests "
               "WHERE ts_ms >= ?2 AND key_id <> '' GROUP BY key_id UNION ALL "
               "SELECT 'team:' || team, SUM(CASE WHEN ts_ms >= ?1 THEN cost_usd ELSE 0 END), SUM(cost_usd) FROM requests "
               "WHERE ts_ms >= ?2 AND team <> '' GROUP BY team";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(*db, sql, -1, &st, nullptr) != SQLITE_OK) {
    Error e = sqlite_error(*db, "cannot read spend from the ledger", path);
    sqlite3_close(*db);
    return tl::unexpected(e);
  }
  sqlite3_bind_int64(st, 1, day_start_ms);
  sqlite3_bind_int64(st, 2, std::min(day_start_ms, month_start_ms));
  while (sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* k = sqlite3_column_text(st, 0);
    out[k ? reinterpret_cast<const char*>(k) : ""] = Spend{sqlite3_column_double(st, 1), sqlite3_column_double(st, 2)};
  }
  sqlite3_finalize(st);
  sqlite3_close(*db);
  return out;
}

}  // namespace llmux::gateway
