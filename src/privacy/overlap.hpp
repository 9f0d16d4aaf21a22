#pragma once
// When built-in detectors claim overlapping bytes, one reading is kept: the
// longest validated span (an IBAN holds card-like digit groups, an IPv6 address
// a dotted quad, an email an SMS number), and among equals the higher class:
// secret, credit_card, iban, us_ssn, email, ip_address, phone.
#include "privacy/detectors.hpp"

namespace llmux::privacy::detail {

// Leaves non-overlapping hits in `hits`, sorted by offset.
void resolve_overlaps(Hits& hits);

}  // namespace llmux::privacy::detail
