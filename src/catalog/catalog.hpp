#pragma once
// The bundled catalogs (data/): open models, devices, cloud prices and the
// published speed measurements. Loaded once, validated once, then trusted.
// Lookups by id accept aliases and answer unknown ids with the nearest names.
#include <string>
#include <vector>

#include "catalog/calibration_spec.hpp"
#include "catalog/device_spec.hpp"
#include "catalog/model_spec.hpp"
#include "catalog/price_spec.hpp"
#include "core/error.hpp"

namespace llmux::catalog {

struct Catalog {
  std::vector<ModelSpec> models;
  std::vector<DeviceSpec> devices;
  std::vector<CloudPrice> prices;
  CalibrationData calibration;
  std::vector<std::string> files;  // what was read, in order

  // Lookups: exact id or alias, case-insensitive. Errors name the nearest ids.
  Result<const ModelSpec*> model(const std::string& id) const;
  Result<const DeviceSpec*> device(const std::string& id) const;
  Result<const CloudPrice*> price(const std::string& id) const;

  std::vector<std::string> model_ids() const;
  std::vector<std::string> device_ids() const;
  std::vector<std::string> price_ids() const;
};

// Reads <dir>/models/*.toml, <dir>/devices/*.toml, <dir>/prices/*.toml and
// <dir>/calibration.toml for each dir in order; an entry in a later dir
// replaces the one with the same id (user overrides, imported prices).
// Missing dirs after the first are skipped; the first must exist.
Result<Catalog> load_catalog(const std::vector<std::string>& dirs);

// Record -> spec conversions (exposed for tests and for user-supplied files).
struct Record;
Result<ModelSpec> model_from_record(const Record& r);
Result<DeviceSpec> device_from_record(const Record& r);
Result<CloudPrice> price_from_record(const Record& r);
Result<Measurement> measurement_from_record(const Record& r);
Result<EfficiencyPrior> prior_from_record(const Record& r);

// Cross-checks after loading: measurements name known models and devices,
// ids are unique, numbers are plausible.
Result<void> validate_catalog(const Catalog& c);

}  // namespace llmux::catalog
