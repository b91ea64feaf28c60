// Internal: the process's worker threads, kept across calls (issue 17 point 3). Starting a thread
// per call cost a visible part of a batch of tens of thousands of decisions; the pool starts its
// workers once, on first need, and keeps them for the life of the process.
//
// Run(tasks, threads, body) calls body(k) once for every k in [0, tasks), on up to `threads`
// threads, the caller's included, and returns when every call has returned. Tasks are claimed
// one at a time from a shared counter, so a slow or descheduled thread leaves its share to the
// others, and the caller claims tasks too: a call completes even if no worker ever picks it up
// (every worker busy with other callers' jobs, a thread that could not be started, a forked
// child without the parent's threads). Which thread runs a task never changes what it computes.
//
// Thread safety: Run may be called from several threads at once; each call waits for its own
// tasks only. `body` must not throw.
#ifndef FENGQIAO_SRC_INTERNAL_THREAD_POOL_H_
#define FENGQIAO_SRC_INTERNAL_THREAD_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"

namespace fengqiao::internal {

class ThreadPool {
 public:
  // The process's pool (never destroyed: its workers outlive static destructors).
  static ThreadPool& Shared();

  // Runs body(0) .. body(tasks - 1) on up to `threads` threads (the caller's included); returns
  // when all have returned. threads <= 1 or tasks <= 1: on the calling thread only.
  void Run(size_t tasks, int threads, absl::FunctionRef<void(size_t)> body);

  // Workers started so far.
  size_t workers() const;

  // Most workers the pool starts, whatever a caller asks.
  static constexpr int kMaxWorkers = 255;

 private:
  struct Job {
    explicit Job(size_t n, absl::FunctionRef<void(size_t)> f) : tasks(n), body(f) {}
    const size_t tasks;
    absl::FunctionRef<void(size_t)> body;
    std::atomic<size_t> next{0};
    int helping = 0;  // workers inside the job (guarded by mu_)
  };

  ThreadPool() = default;
  void StartWorkers(size_t wanted);  // mu_ held
  void WorkerLoop();
  static void Work(Job& job);

  mutable std::mutex mu_;
  std::condition_variable work_;
  std::condition_variable idle_;
  std::deque<Job*> queue_;  // one entry per helper a job asked for
  std::vector<std::thread> threads_;
};

}  // namespace fengqiao::internal

#endif  // FENGQIAO_SRC_INTERNAL_THREAD_POOL_H_
