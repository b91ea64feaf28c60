// Internal: the process's worker threads, kept across calls (issue 17 point 3). Starting a thread
// per call cost a visible part of a batch of tens of thousands of decisions; the pool starts its
// workers once, on first need, and keeps them for the life of the process.
//
// Run(tasks, threads, body) calls body(k) once for every k in [0, tasks), on up to `threads`
// threads, the caller's included, and returns when every call has returned. Tasks are claimed
// one at a time from a shared counter, so a slow or descheduled thread leaves its share to the
// others, and the caller claims tasks too: a call completes even if no worker ever picks it up
// (every worker busy with other callers' jobs, a thread that could not be started). Which thread
// runs a task never changes what it computes.
//
// Fork: a child has none of the parent's threads, and a condition variable that had waiters in
// the parent cannot be signalled in the child (glibc waits for the missing waiters). So the pool
// keeps its lock, condition variables, queue and workers in one State; the child abandons the
// parent's (leaked, never touched again) and starts a fresh one with its own workers on first
// need (pthread_atfork handlers; the lock is held across fork so the queue is consistent).
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

  // Workers started so far (in this process).
  size_t workers() const;

  // Most workers the pool starts, whatever a caller asks.
  static constexpr int kMaxWorkers = 255;

 private:
  struct Job {
    explicit Job(size_t n, absl::FunctionRef<void(size_t)> f) : tasks(n), body(f) {}
    const size_t tasks;
    absl::FunctionRef<void(size_t)> body;
    std::atomic<size_t> next{0};
    int helping = 0;  // workers inside the job (guarded by State::mu)
  };

  // Everything the workers share; replaced in a forked child.
  struct State {
    std::mutex mu;
    std::condition_variable work;
    std::condition_variable idle;
    std::deque<Job*> queue;  // one entry per helper a job asked for
    std::vector<std::thread> threads;
  };

  ThreadPool() = default;
  static void StartWorkers(State& state, size_t wanted);  // state.mu held
  static void WorkerLoop(State* state);
  static void Work(Job& job);

  State* state_ = new State();  // never freed (workers may still wait on it at exit)
};

}  // namespace fengqiao::internal

#endif  // FENGQIAO_SRC_INTERNAL_THREAD_POOL_H_
