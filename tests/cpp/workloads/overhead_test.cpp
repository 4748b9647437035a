// overhead: bounds, chunk-independent checksums in every mode, and the input/output payload a process gets.
#include "workloads/overhead.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "executor.hpp"
#include "run.hpp"

namespace parlab {
namespace {

std::string error_of(const std::map<std::string, std::string>& values) {
    try {
        static_cast<void>(parse_params("overhead", values));
    } catch (const invalid_argument_error& e) {
        return e.what();
    }
    return "";
}

workload_params small(const std::string& chunk, const std::string& items = "1000") {
    return parse_params("overhead", {{"items", items}, {"item_bytes", "24"}, {"work", "2"}, {"chunk", chunk}});
}

TEST(Overhead, TaskCountIsItemsOverChunkRoundedUp) {
    EXPECT_EQ(get_task_count(parse_params("overhead", {})), 200);  // 200000 items in chunks of 1000
    EXPECT_EQ(get_task_count(small("1")), 1000);
    EXPECT_EQ(get_task_count(small("7")), 143);
    EXPECT_EQ(get_task_count(small("1000")), 1);
    const auto work = make_workload(small("7"));
    ASSERT_EQ(work->get_task_count(), 143U);
    EXPECT_EQ(work->describe(0), "items 0..6");
    EXPECT_EQ(work->describe(142), "items 994..999");  // the last task holds what is left
    EXPECT_EQ(work->get_input_bytes(142), 6U * 24U);
    EXPECT_EQ(work->get_output_bytes(142), 6U * 8U);
    EXPECT_THROW(static_cast<void>(work->compute(143, run_control{})), std::out_of_range);
}

TEST(Overhead, BadParametersNameThemselvesAndTheirBounds) {
    EXPECT_EQ(error_of({{"items", "100"}, {"chunk", "101"}}),
              "parameter 'chunk' must be between 1 and items = 100 (got 101)");
    EXPECT_EQ(error_of({{"items", "4000000"}, {"item_bytes", "8"}, {"chunk", "2"}}),
              "parameters 'items' / 'chunk' must make at most 1000000 tasks (got 2000000)");
    EXPECT_EQ(error_of({{"items", "1000000"}, {"item_bytes", "128"}}),
              "parameters 'items' x 'item_bytes' must make at most 67108864 bytes (got 128000000)");
    EXPECT_EQ(error_of({{"item_bytes", "7"}}), "parameter 'item_bytes' must be an integer between 8 and 65536 (got '7')");
    EXPECT_EQ(error_of({{"work", "0"}}), "parameter 'work' must be an integer between 1 and 10000 (got '0')");
    EXPECT_EQ(error_of({{"items", "1000"}, {"chunk", "1"}}), "");
}

TEST(Overhead, ValueIsTheSumOfTheItemHashesOfTheSeededData) {
    const auto params = small("10");
    const auto work = make_workload(params);
    std::vector<std::uint8_t> input(work->get_input_bytes(3));
    work->write_input(3, input);
    std::uint64_t expected = 0;
    for (std::size_t k = 0; k < 10; ++k) expected += hash_item({&input[k * 24], 24}, 2);
    EXPECT_EQ(work->compute(3, run_control{}), expected);
    // Another seed, other bytes; one more round, another hash.
    const auto reseeded = make_workload(
        parse_params("overhead", {{"items", "1000"}, {"item_bytes", "24"}, {"work", "2"}, {"chunk", "10"}, {"seed", "2"}}));
    EXPECT_NE(reseeded->compute(3, run_control{}), expected);
    EXPECT_NE(hash_item({input.data(), 24}, 3), hash_item({input.data(), 24}, 2));
}

TEST(Overhead, ComputeFromWrittenInputEqualsComputeAndFillsTheResults) {
    const auto work = make_workload(small("64"));
    const auto receiver = make_workload(small("64"), false);  // holds no data: only what it is sent
    const run_control control;
    for (std::size_t task = 0; task < work->get_task_count(); ++task) {
        std::vector<std::uint8_t> input(work->get_input_bytes(task));
        work->write_input(task, input);
        std::vector<std::uint8_t> output(work->get_output_bytes(task));
        const auto value = receiver->compute_from_input(task, input, output, control);
        EXPECT_EQ(value, work->compute(task, control)) << task;
        EXPECT_EQ(work->read_output(task, output), value) << task;
        std::uint64_t first = 0;
        for (int b = 7; b >= 0; --b) first = (first << 8) | output[static_cast<std::size_t>(b)];
        EXPECT_EQ(first, hash_item({input.data(), 24}, 2)) << "results are little-endian, one per item";
    }
    EXPECT_THROW(static_cast<void>(receiver->compute(0, control)), std::logic_error);
    std::vector<std::uint8_t> wrong(3);
    std::vector<std::uint8_t> output(work->get_output_bytes(0));
    EXPECT_THROW(static_cast<void>(receiver->compute_from_input(0, wrong, output, control)), std::invalid_argument);
}

TEST(Overhead, ChecksumIsTheSameInEveryModeAndForEveryChunk) {
    run_control control;
    auto sequential = make_portable_executor("sequential", 1);
    const auto reference = run_workload(small("1"), *sequential, control);
    ASSERT_TRUE(reference.ok) << reference.error;
    EXPECT_FALSE(reference.bytes_transferred.has_value()) << "sequential shares the data: nothing is copied";
    for (const auto* chunk : {"1", "3", "100", "1000"}) {
        for (const auto& [mode, workers] : {std::pair<std::string, unsigned>{"sequential", 1},
                                            {"threads", 2},
                                            {"threads-gil", 2},
                                            {"async", 3}}) {
            auto exec = make_portable_executor(mode, workers);
            const auto run = run_workload(small(chunk), *exec, control);
            ASSERT_TRUE(run.ok && run.complete) << mode << ": " << run.error;
            EXPECT_EQ(run.checksum, reference.checksum) << mode << " chunk " << chunk;
            EXPECT_FALSE(run.bytes_transferred.has_value()) << mode;
        }
    }
}

TEST(Overhead, CancelStopsALongTask) {
    run_control control;
    control.cancel.store(1);
    const auto work = make_workload(parse_params("overhead", {{"items", "1000"}, {"item_bytes", "4096"}, {"work", "100"}}));
    EXPECT_THROW(static_cast<void>(work->compute(0, control)), cancelled_error);
}

}  // namespace
}  // namespace parlab
