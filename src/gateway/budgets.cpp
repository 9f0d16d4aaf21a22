#include "gateway/budgets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>

namespace llmux::gateway {

namespace {

constexpr Nanos kMinute = 60 * kNanosPerSecond;
constexpr double kCent = 1e-9;  // float sums of reservations must not refuse the last exact fit

std::tm utc_tm(Nanos wall) {
  std::time_t t = static_cast<std::time_t>(wall / kNanosPerSecond);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string money(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

std::int64_t utc_day(Nanos wall) { return wall / (86400 * kNanosPerSecond); }

std::int64_t utc_month(Nanos wall) {
  auto tm = utc_tm(wall);
  return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

Nanos start_of_day(Nanos wall) { return utc_day(wall) * 86400 * kNanosPerSecond; }

Nanos start_of_month(Nanos wall) {
  auto tm = utc_tm(wall);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  return static_cast<Nanos>(timegm(&tm)) * kNanosPerSecond;
}

int seconds_to_next_day(Nanos wall) {
  return static_cast<int>((start_of_day(wall) + 86400 * kNanosPerSecond - wall) / kNanosPerSecond) + 1;
}

int seconds_to_next_month(Nanos wall) {
  auto tm = utc_tm(wall);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_mon += 1;
  Nanos next = static_cast<Nanos>(timegm(&tm)) * kNanosPerSecond;
  return static_cast<int>((next - wall) / kNanosPerSecond) + 1;
}

void BudgetManager::Window::expire(Nanos now) {
  while (!events.empty() && events.front().first <= now - kMinute) {
    total -= events.front().second;
    events.pop_front();
  }
}

void BudgetManager::Subject::roll(Nanos wall) {
  auto d = utc_day(wall), m = utc_month(wall);
  if (d != day) {
    day = d;
    spent_day = 0;
  }
  if (m != month) {
    month = m;
    spent_month = 0;
  }
}

void BudgetManager::configure(const std::vector<BudgetConfig>& budgets) {
  std::lock_guard lock(mu_);
  for (auto& [name, s] : subjects_) s.limits = BudgetConfig{};  // limits removed from the config no longer apply
  for (const auto& b : budgets) subjects_[b.subject()].limits = b;
}

void BudgetManager::seed_spend(const std::string& subject, double today, double this_month) {
  std::lock_guard lock(mu_);
  auto& s = subjects_[subject];
  Nanos wall = wall_now();
  s.roll(wall);
  s.spent_day = today;
  s.spent_month = this_month;
}

std::vector<std::string> BudgetManager::subjects_for(const std::string& key_id, const std::string& team) const {
  std::vector<std::string> out;
  if (!key_id.empty()) out.push_back("key:" + key_id);
  if (!team.empty()) out.push_back("team:" + team);
  return out;
}

double BudgetManager::remaining_usd(const std::vector<std::string>& subjects, Nanos wall) const {
  std::lock_guard lock(mu_);
  double left = std::numeric_limits<double>::infinity();
  for (const auto& name : subjects) {
    auto it = subjects_.find(name);
    if (it == subjects_.end()) continue;
    Subject s = it->second;  // a copy: rolling the day must not change state here
    s.roll(wall);
    if (s.limits.usd_per_day) left = std::min(left, *s.limits.usd_per_day - s.spent_day - s.reserved_usd);
    if (s.limits.usd_per_month) left = std::min(left, *s.limits.usd_per_month - s.spent_month - s.reserved_usd);
  }
  return left;
}

std::optional<Refusal> BudgetManager::check(Subject& s, const std::string& name, std::int64_t tokens, double usd,
                                            Nanos now, Nanos wall) const {
  const auto& l = s.limits;
  auto wait_for = [&](const Window& w) {
    return w.events.empty() ? 1 : static_cast<int>((w.events.front().first + kMinute - now) / kNanosPerSecond) + 1;
  };
  if (l.requests_per_minute && s.requests.total + 1 > *l.requests_per_minute)
    return Refusal{name, "requests_per_minute",
                   name + ": " + std::to_string(*l.requests_per_minute) + " requests per minute reached", wait_for(s.requests)};
  if (l.tokens_per_minute && s.tokens.total + tokens > *l.tokens_per_minute)
    return Refusal{name, "tokens_per_minute",
                   name + ": " + std::to_string(*l.tokens_per_minute) + " tokens per minute: " +
                       std::to_string(s.tokens.total) + " used or reserved, this request may need " + std::to_string(tokens),
                   wait_for(s.tokens)};
  return check_money(s, name, usd, wall);
}

std::optional<Refusal> BudgetManager::check_money(const Subject& s, const std::string& name, double usd, Nanos wall) {
  const auto& l = s.limits;
  if (l.usd_per_month && s.spent_month + s.reserved_usd + usd > *l.usd_per_month + kCent)  // the longer wait first
    return Refusal{name, "usd_per_month",
                   name + ": monthly budget $" + money(*l.usd_per_month) + ": $" + money(s.spent_month + s.reserved_usd) +
                       " spent or reserved, this request may cost up to $" + money(usd),
                   seconds_to_next_month(wall), *l.usd_per_month};
  if (l.usd_per_day && s.spent_day + s.reserved_usd + usd > *l.usd_per_day + kCent)
    return Refusal{name, "usd_per_day",
                   name + ": daily budget $" + money(*l.usd_per_day) + ": $" + money(s.spent_day + s.reserved_usd) +
                       " spent or reserved, this request may cost up to $" + money(usd),
                   seconds_to_next_day(wall), *l.usd_per_day};
  return std::nullopt;
}

Refusal BudgetManager::money_refusal(const std::vector<std::string>& subjects, double usd, Nanos wall) const {
  std::lock_guard lock(mu_);
  std::vector<Refusal> refusals;
  for (const auto& name : subjects) {
    auto it = subjects_.find(name);
    if (it == subjects_.end()) continue;
    Subject s = it->second;  // a copy: rolling the day must not change state here
    s.roll(wall);
    if (auto r = check_money(s, name, usd, wall)) refusals.push_back(std::move(*r));
  }
  if (refusals.empty())  // a concurrent request settled for less in the meantime: trying again may fit
    return Refusal{subjects.empty() ? "" : subjects[0], "usd", "the remaining budget changed; try again", 1};
  // The request fits again only when every limit that refuses it has reset.
  auto last = std::max_element(refusals.begin(), refusals.end(),
                               [](const Refusal& a, const Refusal& b) { return a.retry_after_s < b.retry_after_s; });
  Refusal out = *last;
  for (const auto& r : refusals)
    if (&r != &*last) out.message += "; " + r.message;
  return out;
}

std::optional<Refusal> BudgetManager::never_fits(const std::vector<std::string>& subjects, std::int64_t tokens,
                                                 double usd) const {
  std::lock_guard lock(mu_);
  for (const auto& name : subjects) {
    auto it = subjects_.find(name);
    if (it == subjects_.end()) continue;
    const auto& l = it->second.limits;
    if (l.tokens_per_minute && tokens > *l.tokens_per_minute)
      return Refusal{name, "tokens_per_minute",
                     name + ": tokens_per_minute = " + std::to_string(*l.tokens_per_minute) + ", and this request may need " +
                         std::to_string(tokens) + " tokens",
                     0, static_cast<double>(*l.tokens_per_minute)};
    if (l.usd_per_day && usd > *l.usd_per_day + kCent)
      return Refusal{name, "usd_per_day",
                     name + ": usd_per_day = $" + money(*l.usd_per_day) + ", and this request may cost up to $" + money(usd),
                     0, *l.usd_per_day};
    if (l.usd_per_month && usd > *l.usd_per_month + kCent)
      return Refusal{name, "usd_per_month",
                     name + ": usd_per_month = $" + money(*l.usd_per_month) + ", and this request may cost up to $" + money(usd),
                     0, *l.usd_per_month};
  }
  return std::nullopt;
}

tl::expected<Reservation, Refusal> BudgetManager::admit(const std::vector<std::string>& subjects, std::int64_t tokens,
                                                        double usd, Nanos now, Nanos wall) {
  std::lock_guard lock(mu_);
  Reservation r;
  r.tokens = tokens;
  r.usd = usd;
  r.at = now;
  for (const auto& name : subjects) {  // first check every subject, then reserve in all: all or nothing
    auto& s = subjects_[name];
    s.roll(wall);
    s.requests.expire(now);
    s.tokens.expire(now);
    if (auto refusal = check(s, name, tokens, usd, now, wall)) return tl::unexpected(*refusal);
  }
  r.id = next_id_++;
  for (const auto& name : subjects) {
    auto& s = subjects_[name];
    s.requests.events.emplace_back(now, 1);
    s.requests.total += 1;
    s.tokens.events.emplace_back(now, tokens);
    s.tokens.total += tokens;
    s.token_reservations[r.id] = tokens;
    s.reserved_usd += usd;
    r.subjects.push_back(name);
  }
  return r;
}

void BudgetManager::settle(const Reservation& r, std::int64_t tokens, double usd) {
  std::lock_guard lock(mu_);
  Nanos wall = wall_now();
  for (const auto& name : r.subjects) {
    auto it = subjects_.find(name);
    if (it == subjects_.end()) continue;
    auto& s = it->second;
    s.reserved_usd = std::max(0.0, s.reserved_usd - r.usd);
    s.roll(wall);
    s.spent_day += usd;
    s.spent_month += usd;
    s.token_reservations.erase(r.id);
    // Replace the reserved tokens by the real count, where the reservation still sits in the window.
    for (auto& [t, amount] : s.tokens.events) {
      if (t == r.at && amount == r.tokens) {
        s.tokens.total += tokens - amount;
        amount = tokens;
        break;
      }
    }
  }
}

std::vector<BudgetManager::Status> BudgetManager::status(Nanos wall) const {
  std::lock_guard lock(mu_);
  std::vector<Status> out;
  for (const auto& [name, s0] : subjects_) {
    Subject s = s0;
    s.roll(wall);
    if (!s.limits.usd_per_day && !s.limits.usd_per_month) continue;
    out.push_back({name, s.spent_day, s.spent_month, s.limits.usd_per_day, s.limits.usd_per_month});
  }
  return out;
}

}  // namespace llmux::gateway
