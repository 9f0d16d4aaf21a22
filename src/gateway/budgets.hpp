#pragma once
// Budgets and rate limits per virtual key and per team: requests and tokens per
// minute (sliding 60 s windows) and money per UTC day and month. Admission
// reserves the worst case atomically (prompt estimate + max_tokens at the
// highest price the request may be sent at); completion settles the real
// amount, so concurrent requests can never overshoot a limit. State lives
// across config reloads; spend is re-read from the ledger at start.
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace llmux::gateway {

struct BudgetConfig {
  std::string key;   // a key id, or
  std::string team;  // a team name
  std::optional<std::int64_t> requests_per_minute, tokens_per_minute;
  std::optional<double> usd_per_day, usd_per_month;
  int line = 0;
  std::string subject() const { return key.empty() ? "team:" + team : "key:" + key; }
};

struct Refusal {
  std::string subject;  // "key:team-a"
  std::string limit;    // "usd_per_day"
  std::string message;  // what was exceeded, with the numbers
  int retry_after_s = 1;
  double allowed = 0;  // the limit's value (tokens, or USD)
};

struct Reservation {
  std::uint64_t id = 0;
  std::vector<std::string> subjects;
  std::int64_t tokens = 0;
  double usd = 0;
  Nanos at = 0;
};

class BudgetManager {
 public:
  void configure(const std::vector<BudgetConfig>& budgets);
  // Spend already recorded (from the ledger) for the current day and month.
  void seed_spend(const std::string& subject, double today, double this_month);
  // The subjects whose limits apply to a request: its key's and its team's.
  std::vector<std::string> subjects_for(const std::string& key_id, const std::string& team) const;
  // Money still available to these subjects right now (infinity when no money limit).
  double remaining_usd(const std::vector<std::string>& subjects, Nanos wall) const;
  // Checks every limit and reserves, atomically. `now` is monotonic (rate windows),
  // `wall` is wall-clock (day and month boundaries, UTC).
  tl::expected<Reservation, Refusal> admit(const std::vector<std::string>& subjects, std::int64_t tokens, double usd,
                                           Nanos now, Nanos wall);
  // Why no deployment fits what is left, when the cheapest may cost `usd`: every money limit
  // of these subjects that leaves less, named, with Retry-After at the latest of their resets
  // (a new UTC day does not help a monthly limit).
  Refusal money_refusal(const std::vector<std::string>& subjects, double usd, Nanos wall) const;
  // A limit that this request's worst case exceeds by itself, with nothing used: waiting cannot
  // make it fit. `tokens` is the worst-case token count, `usd` the cheapest worst-case cost.
  std::optional<Refusal> never_fits(const std::vector<std::string>& subjects, std::int64_t tokens, double usd) const;
  // Replaces the reservation by what the request really used.
  void settle(const Reservation& r, std::int64_t tokens, double usd);

  struct Status {
    std::string subject;
    double spent_today = 0, spent_month = 0;
    std::optional<double> usd_per_day, usd_per_month;
  };
  std::vector<Status> status(Nanos wall) const;

 private:
  struct Window {  // (time, amount) events within the last 60 s
    std::deque<std::pair<Nanos, std::int64_t>> events;
    std::int64_t total = 0;
    void expire(Nanos now);
  };
  struct Subject {
    BudgetConfig limits;
    Window requests, tokens;
    std::map<std::uint64_t, std::int64_t> token_reservations;  // reservation -> tokens in `tokens`
    double spent_day = 0, spent_month = 0, reserved_usd = 0;
    std::int64_t day = -1, month = -1;  // which UTC day/month the spend is for
    void roll(Nanos wall);
  };
  std::optional<Refusal> check(Subject& s, const std::string& name, std::int64_t tokens, double usd, Nanos now,
                               Nanos wall) const;
  static std::optional<Refusal> check_money(const Subject& s, const std::string& name, double usd, Nanos wall);

  mutable std::mutex mu_;
  std::map<std::string, Subject> subjects_;
  std::uint64_t next_id_ = 1;
};

// UTC day number and month number (year * 12 + month) of a wall-clock time.
std::int64_t utc_day(Nanos wall);
std::int64_t utc_month(Nanos wall);
// Seconds until the next UTC midnight / first of the month.
int seconds_to_next_day(Nanos wall);
int seconds_to_next_month(Nanos wall);
Nanos start_of_day(Nanos wall);
Nanos start_of_month(Nanos wall);

}  // namespace llmux::gateway
