// --gpu auto (recorded tool output) and --calibrate (a bench result fixture).
#include <gtest/gtest.h>

#include "plan/bench_calibration.hpp"
#include "plan/hardware_detect.hpp"
#include "plan_fixture.hpp"
#include "support/process.hpp"

namespace llmux::plan {
namespace {

std::string fixture(const std::string& name) {
  return llmux::test::read_file(std::string(LLMUX_SOURCE_DIR) + "/tests/plan/fixtures/" + name);
}

TEST(HardwareDetect, ReadsNvidiaSmiCsv) {
  auto gpus = parse_nvidia_smi_csv(fixture("nvidia_smi_2x4090.csv"));
  ASSERT_EQ(gpus.size(), 2u);
  EXPECT_EQ(gpus[0].name, "NVIDIA GeForce RTX 4090");
  EXPECT_DOUBLE_EQ(gpus[0].total_mib, 24564);
  auto d = detect_from(test::cat(), fixture("nvidia_smi_2x4090.csv"), "", {});
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->device->id, "rtx-4090");
  EXPECT_EQ(d->count, 2);
  EXPECT_NEAR(d->memory_gib, 24564 / 1024.0, 1e-9);
  EXPECT_NEAR(d->reserve_gib, (24564 - 23984) / 1024.0, 1e-9);  // what the fuller GPU already uses
  EXPECT_NE(d->summary.find("nvidia-smi: 2 x NVIDIA GeForce RTX 4090"), std::string::npos);
}

TEST(HardwareDetect, ReadsRecordedOutputFromAnH200) {
  // Recorded on an H200 machine: `nvidia-smi --query-gpu=name,memory.total,memory.free --format=csv,noheader,nounits`.
  auto d = detect_from(test::cat(), fixture("nvidia_smi_h200.csv"), "", {});
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->device->id, "h200");
  EXPECT_EQ(d->count, 1);
  EXPECT_NEAR(d->memory_gib, 143771 / 1024.0, 1e-9);
}

TEST(HardwareDetect, MatchesTheLongestCatalogName) {
  auto d = detect_from(test::cat(), fixture("nvidia_smi_h100.csv"), "", {});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->device->id, "h100-sxm");
  EXPECT_EQ(match_device(test::cat(), "NVIDIA GeForce RTX 4070 Ti SUPER")->id, "rtx-4070-ti-super");
  EXPECT_EQ(match_device(test::cat(), "NVIDIA GeForce RTX 4070 Ti")->id, "rtx-4070-ti");
}

TEST(HardwareDetect, ReadsRocmSmiCsv) {
  auto d = detect_from(test::cat(), "", fixture("rocm_smi.csv"), {});
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->device->id, "rx-7900-xtx");
  EXPECT_NEAR(d->memory_gib, 25753026560.0 / (1024.0 * 1024 * 1024), 1e-6);
}

TEST(HardwareDetect, FallsBackToTheCpu) {
  CpuInfo cpu = parse_proc(fixture("cpuinfo.txt"), fixture("meminfo.txt"));
  EXPECT_EQ(cpu.threads, 2);
  EXPECT_EQ(cpu.model, "AMD EPYC 9654 96-Core Processor");
  EXPECT_NEAR(cpu.ram_gib, 792723456 / (1024.0 * 1024), 1e-6);
  auto d = detect_from(test::cat(), "", "", cpu);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->device->id, "epyc-9654");
  EXPECT_NE(d->summary.find("no GPU found"), std::string::npos);
}

// A 2-thread VM on an EPYC is not a whole 192-thread EPYC server: compute is
// scaled to the threads found, and the summary says what is still assumed.
TEST(HardwareDetect, ScalesCpuComputeToTheThreadsFound) {
  CpuInfo cpu{"AMD EPYC 7B13", 2, 16};
  auto d = detect_from(test::cat(), "", "", cpu);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->device->id, "desktop-ddr5");
  EXPECT_DOUBLE_EQ(d->compute_share, 2.0 / 32);
  EXPECT_NE(d->summary.find("compute scaled to 2 of its 32 threads, memory bandwidth (83.2 GB/s) assumed"), std::string::npos)
      << d->summary;
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "desktop-ddr5");
  auto whole = make_plan(req);
  req.cpu_compute_share = d->compute_share;
  auto vm = make_plan(req);
  ASSERT_TRUE(whole && vm);
  EXPECT_LT(vm->chosen().speed.prefill_tps, whole->chosen().speed.prefill_tps / 8);
  EXPECT_NE(vm->device->name.find("compute scaled to 6%"), std::string::npos) << vm->device->name;
  CpuInfo big{"AMD Ryzen 9 7950X 16-Core Processor", 32, 64};
  auto full = detect_from(test::cat(), "", "", big);
  ASSERT_TRUE(full);
  EXPECT_DOUBLE_EQ(full->compute_share, 1.0);
  EXPECT_NE(full->summary.find("its compute and memory bandwidth (83.2 GB/s) are assumed"), std::string::npos) << full->summary;
}

TEST(HardwareDetect, UnknownGpuSuggestsWhatToDo) {
  auto d = detect_from(test::cat(), "NVIDIA Quantum Q9000, 32768, 32000\n", "", {});
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("not in the device catalog"), std::string::npos);
  EXPECT_NE(d.error().context.find("--gpu ID"), std::string::npos);
  EXPECT_TRUE(parse_nvidia_smi_csv("garbage\n,,,\n").empty());
}

TEST(BenchCalibration, ReadsTheBenchResultShape) {
  auto b = parse_bench_result(fixture("bench_result.json"), "bench_result.json");
  ASSERT_TRUE(b) << b.error().describe();
  ASSERT_EQ(b->runs.size(), 2u);
  EXPECT_EQ(b->runs[1].concurrency, 4);
  EXPECT_DOUBLE_EQ(b->runs[0].tpot_ms, 9.2);
  EXPECT_DOUBLE_EQ(b->runs[0].ttft_ms, 180);
  EXPECT_FALSE(parse_bench_result(R"({"tool":"other","schema_version":1,"runs":[]})", "x.json"));
  EXPECT_FALSE(parse_bench_result(R"({"tool":"llmux bench","schema_version":2,"runs":[]})", "x.json"));
}

TEST(BenchCalibration, RescalesThePlanToTheMeasurements) {
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090");
  req.workload = *parse_workload("in=1000,out=250,requests-per-day=5000");
  auto before = make_plan(req);
  ASSERT_TRUE(before);
  req.bench = *parse_bench_result(fixture("bench_result.json"), "bench_result.json");
  req.bench_path = "bench_result.json";
  auto after = make_plan(req);
  ASSERT_TRUE(after) << after.error().describe();
  ASSERT_TRUE(after->calibration);
  // The concurrency-1 prompt matches the workload's: TTFT becomes the measured p50.
  EXPECT_NEAR(after->chosen().speed.ttft_s, 0.180, 0.002);
  // Decode lands between the two runs' measured step times (one scale for both).
  EXPECT_GT(after->chosen().speed.single_tps, 1000 / 10.3 * 0.97);
  EXPECT_LT(after->chosen().speed.single_tps, 1000 / 9.2 * 1.03);
  EXPECT_NE(after->chosen().speed.single_tps, before->chosen().speed.single_tps);
  EXPECT_NE(after->efficiency.basis.find("rescaled by " + std::to_string(after->calibration->decode_runs) +
                                         " bench runs from bench_result.json"),
            std::string::npos)
      << after->efficiency.basis;
  EXPECT_EQ(after->calibration->decode_runs, 2) << "the fixture's two load levels";
}

}  // namespace
}  // namespace llmux::plan
