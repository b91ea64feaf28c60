#include "internal/thread_pool.h"

#include <pthread.h>

#include <algorithm>
#include <system_error>

namespace fengqiao::internal {

ThreadPool& ThreadPool::Shared() {
  static ThreadPool* const pool = [] {
    auto* p = new ThreadPool();
    // A forked child (Python's multiprocessing, Dask's process workers) has none of the parent's
    // threads: the lock is taken across fork, so no worker holds it in the child, and the child
    // forgets the parent's workers and queued jobs (their threads and callers are not there) and
    // starts its own workers on first need.
    pthread_atfork([] { Shared().mu_.lock(); }, [] { Shared().mu_.unlock(); },
                   [] {
                     ThreadPool& child = Shared();
                     new std::vector<std::thread>(std::move(child.threads_));  // not joinable here
                     child.threads_.clear();
                     child.queue_.clear();
                     child.mu_.unlock();
                   });
    return p;
  }();
  return *pool;
}

size_t ThreadPool::workers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_.size();
}

void ThreadPool::StartWorkers(size_t wanted) {
  wanted = std::min<size_t>(wanted, kMaxWorkers);
  while (threads_.size() < wanted) {
    try {
      threads_.emplace_back([this] { WorkerLoop(); });
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

void ThreadPool::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return !queue_.empty(); });
    Job* job = queue_.front();
    queue_.pop_front();
    ++job->helping;
    lock.unlock();
    Work(*job);
    lock.lock();
    if (--job->helping == 0) idle_.notify_all();
  }
}

void ThreadPool::Run(size_t tasks, int threads, absl::FunctionRef<void(size_t)> body) {
  const size_t helpers = std::min<size_t>(threads > 1 ? static_cast<size_t>(threads) - 1 : 0,
                                          tasks > 0 ? tasks - 1 : 0);
  if (helpers == 0) {
    for (size_t k = 0; k < tasks; ++k) body(k);
    return;
  }
  Job job(tasks, body);
  {
    std::lock_guard<std::mutex> lock(mu_);
    StartWorkers(helpers);
    for (size_t h = 0; h < helpers; ++h) queue_.push_back(&job);
  }
  work_.notify_all();
  Work(job);
  // Every task is claimed. Take back the entries no worker picked up, then wait for the workers
  // still running one of this job's tasks; after that nothing refers to `job`.
  std::unique_lock<std::mutex> lock(mu_);
  queue_.erase(std::remove(queue_.begin(), queue_.end(), &job), queue_.end());
  idle_.wait(lock, [&job] { return job.helping == 0; });
}

}  // namespace fengqiao::internal
