// A preset's verdict: the card's rule (cpp/verdicts.hpp) applied to the preset's runs, as the page's cards judge.
#pragma once

#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "experiments/figures.hpp"  // steps_runs
#include "verdicts.hpp"

namespace parlab {

struct experiment_verdict {
    card_verdict verdict;  ///< from the medians, or inconclusive when the ends of the repeats' spread disagree
    double spread = 0;     ///< the largest relative spread (max - min) / median among the runs of one kind
};

/// The verdict of preset `name` from its runs, for a plan made for `cpus` CPUs; nullopt for a preset without a rule.
[[nodiscard]] std::optional<experiment_verdict> judge_experiment(std::string_view name, const steps_runs& runs,
                                                                 unsigned cpus);

/// "Verdict for 2 CPUs: more (It keeps ...)" or "Verdict for 2 CPUs: inconclusive: why"; overridden adds that
/// --cpus is a teaching override.
[[nodiscard]] std::string verdict_line(std::string_view preset, const card_verdict& verdict, unsigned cpus,
                                       bool overridden);

}  // namespace parlab
