// The cards' verdicts against the modelled cases the page's verdicts are tested with (tests/fixtures/card-verdicts.json,
// written by tests/fixtures/card-verdicts.mjs): every case of io-threads, cpu-gil, oversubscription and amdahl gives
// one of the verdicts it allows.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>  // nlohmann::json: reading the fixture

#include <cmath>    // std::nan
#include <fstream>  // std::ifstream
#include <map>      // std::map
#include <set>      // std::set
#include <string>   // std::string

#include "verdicts.hpp"

namespace {

/// {"2": 1.5, "3": null} -> {2: 1.5, 3: NaN}: JSON writes the page's NaN (a run that did not finish) as null.
parlab::speedups_by_workers by_workers(const nlohmann::json& object) {
    parlab::speedups_by_workers out;
    if (!object.is_object()) return out;
    for (const auto& [key, value] : object.items())
        out[static_cast<unsigned>(std::stoul(key))] = value.is_number() ? value.get<double>() : std::nan("");
    return out;
}

double number(const nlohmann::json& value) { return value.is_number() ? value.get<double>() : std::nan(""); }

parlab::card_verdict judge(const std::string& card, const nlohmann::json& f, unsigned cpus) {
    if (card == "io-threads")
        return parlab::judge_io_threads({by_workers(f.value("threads", nlohmann::json())),
                                         by_workers(f.value("async", nlohmann::json())),
                                         by_workers(f.value("gil", nlohmann::json()))},
                                        cpus);
    if (card == "cpu-gil")
        return parlab::judge_cpu_gil({by_workers(f.value("threads", nlohmann::json())),
                                      by_workers(f.value("gil", nlohmann::json())),
                                      by_workers(f.value("processesBusy", nlohmann::json()))});
    if (card == "oversubscription")
        return parlab::judge_oversubscription({by_workers(f.value("cpu", nlohmann::json())),
                                               by_workers(f.value("io", nlohmann::json())),
                                               f.value("maxWorkers", 0U)},
                                              cpus);
    parlab::amdahl_card_figures amdahl{number(f.value("serialFraction", nlohmann::json())), {}};
    for (const auto& p : f.value("points", nlohmann::json::array()))
        amdahl.points.push_back({p.value("workers", 0U), number(p["speedup"]), number(p["amdahl"]), number(p["linear"])});
    return parlab::judge_amdahl(amdahl);
}

const std::set<std::string> judged_cards = {"io-threads", "cpu-gil", "oversubscription", "amdahl"};

nlohmann::json read_cases() {
    std::ifstream in(PARLAB_CARD_VERDICTS_PATH);
    if (!in) throw std::runtime_error(std::string("cannot read ") + PARLAB_CARD_VERDICTS_PATH);
    return nlohmann::json::parse(in);
}

}  // namespace

TEST(Verdicts, EveryModelledCaseGivesAnAllowedVerdict) {
    const auto cases = read_cases();
    std::map<std::string, int> checked;
    std::map<std::string, std::set<unsigned>> claimed_at;  // CPU counts where the model reaches a claim
    for (const auto& c : cases) {
        const std::string card = c["card"];
        if (judged_cards.count(card) == 0) continue;
        const unsigned cpus = c["cpus"];
        const auto verdict = judge(card, c["figures"], cpus);
        std::set<std::string> allowed;
        for (const auto& e : c["expect"]) allowed.insert(e.get<std::string>());
        EXPECT_EQ(allowed.count(verdict.verdict), 1U)
            << card << ", " << c["name"].get<std::string>() << ": got '" << verdict.verdict << "' ("
            << verdict.reason << "), figures " << c["figures"].dump();
        ++checked[card];
        if (c["name"].get<std::string>().rfind("model,", 0) == 0 && verdict.verdict != parlab::inconclusive_verdict)
            claimed_at[card].insert(cpus);
    }
    for (const auto& card : judged_cards) {
        EXPECT_GE(checked[card], 7 * 5) << card << ": too few cases in the fixture";
        for (const unsigned cpus : {2U, 16U, 64U})
            EXPECT_EQ(claimed_at[card].count(cpus), 1U) << card << " reaches no claim from the model at " << cpus;
    }
}

TEST(Verdicts, MissingRunsGiveNoVerdictAndNoRunPastTheCoresSaysWhy) {
    EXPECT_EQ(parlab::judge_io_threads({}, 4).verdict, "");
    const auto io = parlab::judge_io_threads({{{2, 1.9}, {4, 3.8}}, {}, {}}, 4);
    EXPECT_EQ(io.verdict, parlab::inconclusive_verdict);
    EXPECT_NE(io.reason.find("no run had more workers than the 4 logical CPUs"), std::string::npos) << io.reason;
    EXPECT_EQ(parlab::judge_cpu_gil({{{2, 1.5}}, {{2, 1.0}}, {}}).verdict, "");
    EXPECT_EQ(parlab::judge_oversubscription({{}, {}, 16}, 16).verdict, "");
    const auto over = parlab::judge_oversubscription({{{8, 8.0}, {16, 16.0}}, {{8, 8.0}, {16, 16.0}}, 16}, 16);
    EXPECT_EQ(over.verdict, parlab::inconclusive_verdict);
    EXPECT_NE(over.reason.find("at most 16 workers"), std::string::npos) << over.reason;
    EXPECT_EQ(parlab::judge_amdahl({0.2, {}}).verdict, "");
    EXPECT_EQ(parlab::judge_amdahl({std::nan(""), {{2, 1.6, 1.67, 2}}}).verdict, "");
}
