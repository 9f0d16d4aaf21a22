#pragma once
// Fits each (engine, backend) group's efficiency factors to the published
// measurements in data/calibration.toml, and reports how well the fitted
// model predicts each measurement — in sample and leave-one-out (the point
// left out of the fit), which is the honest accuracy figure.
//   decode:  1/tps = a·(bytes/bandwidth) + τ·layers      (a = 1/η_mem; least
//            squares on relative error; τ held at the prior below 4 points)
//   prefill: η_prefill = geometric mean of ideal/observed over 16-bit points,
//            quant_prefill likewise over quantized points relative to it.
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "plan/efficiency.hpp"

namespace llmux::plan {

struct AccuracyRow {
  std::string id;
  std::string engine;
  std::string device;
  int gpus = 1;
  std::string model;
  std::string quant;
  catalog::Metric metric = catalog::Metric::decode_tps;
  double observed = 0;   // tokens/s
  double predicted = 0;  // fitted on all points
  double loo = 0;        // fitted without this point
  std::string source;

  double error() const { return predicted / observed - 1; }
  double loo_error() const { return loo / observed - 1; }
};

struct FitResult {
  EfficiencyTable table;
  std::vector<AccuracyRow> rows;
};

Result<FitResult> fit_efficiencies(const catalog::Catalog& c);

// Median and worst absolute relative error of `rows` for one metric.
struct AccuracySummary {
  int points = 0;
  double median = 0, worst = 0, loo_median = 0, loo_worst = 0;
  std::string worst_id, loo_worst_id;
};
AccuracySummary summarize_accuracy(const std::vector<AccuracyRow>& rows, catalog::Metric metric);

}  // namespace llmux::plan
