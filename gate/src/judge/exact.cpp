// gate/src/judge/exact.cpp — deterministic metrics (instruction counts,
// allocations, cache misses) judged exactly against their limit: no test,
// no tolerance beyond the limit itself.
#include <fmt/core.h>

#include "gate/model/metrics.hpp"
#include "gate/stats/stats.hpp"
#include "judge/judging.hpp"

namespace gate::detail {

void judge_exact(Verdict& v, const Metric& bm, const Metric& cm, const Limit& limit, int threads) {
  v.statistic = Statistic{StatisticKind::value};
  v.test = Test::exact;
  v.n_baseline = bm.samples.size();
  v.n_contender = cm.samples.size();
  // The median guards against a stray repetition.
  v.baseline = stats::median(bm.samples);
  v.contender = stats::median(cm.samples);
  v.change = relative_change(*v.baseline, *v.contender);
  const bool worse = limit.exceeded(*v.baseline, *v.contender, v.direction);
  const bool better = limit.exceeded(*v.baseline, *v.contender, opposite(v.direction));
  if (threads > 1 && is_callgrind_metric(v.metric) && (worse || better)) {
    // Measured on this project's machine: BM_MazeConcurrent/threads:4
    // counted 1159 or 1325 instructions per iteration in runs of one
    // binary, threads:8 994 to 1325 — valgrind runs one thread at a
    // time, and spinning and lock retries follow its schedule.
    v.status = Status::noisy;
    v.add_note(fmt::format("a callgrind count of {} threads depends on how valgrind scheduled them: not judged exactly",
                           threads));
  } else if (worse) {
    v.status = Status::regressed;
  } else if (better || (*v.baseline != *v.contender && !limit.relative && !limit.absolute)) {
    v.status = Status::improved;
  } else {
    v.status = Status::unchanged;
  }
}

}  // namespace gate::detail
