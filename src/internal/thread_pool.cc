#include "internal/thread_pool.h"

#include <pthread.h>

#include <algorithm>
#include <system_error>

namespace fengqiao::internal {

ThreadPool& ThreadPool::Shared() {
  static ThreadPool* const pool = [] {
    auto* p = new ThreadPool();
    pthread_atfork([] { Shared().state_->mu.lock(); }, [] { Shared().state_->mu.unlock(); },
                   [] { Shared().state_ = new State(); });
    return p;
  }();
  return *pool;
}

size_t ThreadPool::workers() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->threads.size();
}

void ThreadPool::StartWorkers(State& state, size_t wanted) {
  wanted = std::min<size_t>(wanted, kMaxWorkers);
  while (state.threads.size() < wanted) {
    try {
      state.threads.emplace_back([s = &state] { WorkerLoop(s); });
    } catch (const std::system_error&) {
      return;  // no thread to be had: the callers do the work themselves
    }
  }
}

void ThreadPool::Work(Job& job) {
  for (size_t k = job.next.fetch_add(1, std::memory_order_relaxed); k < job.tasks;
       k = job.next.fetch_add(1, std::memory_order_relaxed)) {
    job.body(k);
  }
}

void ThreadPool::WorkerLoop(State* state) {
  std::unique_lock<std::mutex> lock(state->mu);
  for (;;) {
    state->work.wait(lock, [state] { return !state->queue.empty(); });
    Job* job = state->queue.front();
    state->queue.pop_front();
    ++job->helping;
    lock.unlock();
    Work(*job);
    lock.lock();
    if (--job->helping == 0) state->idle.notify_all();
  }
}

void ThreadPool::Run(size_t tasks, int threads, absl::FunctionRef<void(size_t)> body) {
  const size_t helpers = std::min<size_t>(threads > 1 ? static_cast<size_t>(threads) - 1 : 0,
                                          tasks > 0 ? tasks - 1 : 0);
  if (helpers == 0) {
    for (size_t k = 0; k < tasks; ++k) body(k);
    return;
  }
  State& state = *state_;
  Job job(tasks, body);
  {
    std::lock_guard<std::mutex> lock(state.mu);
    StartWorkers(state, helpers);
    for (size_t h = 0; h < helpers; ++h) state.queue.push_back(&job);
  }
  if (helpers == 1) {
    state.work.notify_one();
  } else {
    state.work.notify_all();
  }
  Work(job);
  // Every task is claimed. Take back the entries no worker picked up, then wait for the workers
  // still running one of this job's tasks; after that nothing refers to `job`.
  std::unique_lock<std::mutex> lock(state.mu);
  state.queue.erase(std::remove(state.queue.begin(), state.queue.end(), &job), state.queue.end());
  state.idle.wait(lock, [&job] { return job.helping == 0; });
}

}  // namespace fengqiao::internal
