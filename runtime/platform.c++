#include "platform.h"

#include <kj/debug.h>
#include <cstdlib>
#include <sys/mman.h>
#include <sys/random.h>
#include <cerrno>
#include <kj/vector.h>

namespace loaderd {

namespace {

thread_local bool clockStopped = false;

// The default platform in everything but its page allocator and a wall clock that
// setJsClockStopped() stops.
class RecyclingPlatform final: public v8::Platform {
public:
  explicit RecyclingPlatform(v8::Platform& inner)
      : inner(inner), pages(*inner.GetPageAllocator()) {}

  v8::PageAllocator* GetPageAllocator() override { return &pages; }
  void OnCriticalMemoryPressure() override { inner.OnCriticalMemoryPressure(); }
  bool OnCriticalMemoryPressure(size_t length) override {
    return inner.OnCriticalMemoryPressure(length);
  }
  int NumberOfWorkerThreads() override { return inner.NumberOfWorkerThreads(); }
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate) override {
    return inner.GetForegroundTaskRunner(isolate);
  }
  void CallOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner.CallOnWorkerThread(std::move(task));
  }
  void CallBlockingTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner.CallBlockingTaskOnWorkerThread(std::move(task));
  }
  void CallLowPriorityTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner.CallLowPriorityTaskOnWorkerThread(std::move(task));
  }
  void CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task,
                                 double delayInSeconds) override {
    inner.CallDelayedOnWorkerThread(std::move(task), delayInSeconds);
  }
  bool IdleTasksEnabled(v8::Isolate* isolate) override { return inner.IdleTasksEnabled(isolate); }
  std::unique_ptr<v8::JobHandle> PostJob(v8::TaskPriority priority,
                                         std::unique_ptr<v8::JobTask> jobTask) override {
    return inner.PostJob(priority, std::move(jobTask));
  }
  double MonotonicallyIncreasingTime() override { return inner.MonotonicallyIncreasingTime(); }
  double CurrentClockTimeMillis() override {
    return clockStopped ? 0 : inner.CurrentClockTimeMillis();
  }
  StackTracePrinter GetStackTracePrinter() override { return inner.GetStackTracePrinter(); }
  v8::TracingController* GetTracingController() override {
    return inner.GetTracingController();
  }
  void DumpWithoutCrashing() override { inner.DumpWithoutCrashing(); }

  RecyclingPageAllocator& pageAllocator() { return pages; }

private:
  v8::Platform& inner;
  RecyclingPageAllocator pages;
};

}  // namespace

void setJsClockStopped(bool stopped) { clockStopped = stopped; }
bool jsClockStopped() { return clockStopped; }

void* RecyclingPageAllocator::AllocatePages(void* address, size_t length, size_t alignment,
                                            Permission permissions) {
  if (!recyclable(length, alignment)) {
    // WebAssembly memory (aligned to its 64 KiB pages) and anything else V8 may expect to read
    // as zero: fresh from the system, and unmapped when freed.
    return inner.AllocatePages(address, length, alignment, permissions);
  }
  void* found = nullptr;
  bool small = length <= SMALL_REGION;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto& regions = cached[length];  // also records `length` as one V8 asks for
    for (size_t i = 0; i < regions.size(); i++) {
      if (reinterpret_cast<uintptr_t>(regions[i]) % alignment != 0) continue;
      found = regions[i];
      regions[i] = regions.back();
      regions.pop_back();
      break;
    }
    if (found != nullptr) {
      held[reinterpret_cast<uintptr_t>(found)] = Held{length, length, length};
      // A heap page is reserved inaccessible and, as a rule, made read-write whole at once:
      // see the class.
      if (small && permissions == Permission::kNoAccess) {
        lazy[reinterpret_cast<uintptr_t>(found)] = length;
        return found;
      }
    }
  }
  if (found != nullptr) {
    if (SetPermissions(found, length, permissions)) return found;
    {
      std::lock_guard<std::mutex> lock(mutex);
      held.erase(reinterpret_cast<uintptr_t>(found));
    }
    inner.FreePages(found, length);
  }
  void* fresh = inner.AllocatePages(address, length, alignment, permissions);
  if (fresh != nullptr) {
    std::lock_guard<std::mutex> lock(mutex);
    held[reinterpret_cast<uintptr_t>(fresh)] = Held{length, length, length};
  }
  return fresh;
}

bool RecyclingPageAllocator::FreePages(void* address, size_t length) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto key = reinterpret_cast<uintptr_t>(address);
    lazy.erase(key);
    auto h = held.find(key);
    if (h == held.end()) {
      // Not one of ours to recycle (WebAssembly memory and the like).
      return inner.FreePages(address, length);
    }
    length = h->second.length;  // the whole mapping, also when V8 released part of it
    held.erase(h);
    // A bounded number of each length: a burst of disposals keeps what the next burst of
    // isolates will take.
    auto it = cached.find(length);
    if (it == cached.end() || it->second.size() >= maxCached(length)) {
      return inner.FreePages(address, length);
    }
    if (length <= SMALL_REGION) {
      it->second.push_back(address);
      return true;
    }
  }
  // A large region (a code range, a large object) comes back with its pages given up, so it
  // reads as zero again: what V8 expects of a fresh reservation it does not initialise.
  if (madvise(address, length, MADV_DONTNEED) != 0) return inner.FreePages(address, length);
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto& regions = cached[length];
    if (regions.size() < maxCached(length)) {
      regions.push_back(address);
      return true;
    }
  }
  return inner.FreePages(address, length);
}

bool RecyclingPageAllocator::ReleasePages(void* address, size_t length, size_t newLength) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto key = reinterpret_cast<uintptr_t>(address);
    auto h = held.find(key);
    if (h != held.end() && h->second.length == HEAP_PAGE) {
      // A regular heap page shrunk after deserializing: kept mapped and resident for now (see
      // the class). A lazy page stays lazy: all of it is inaccessible to V8 either way.
      h->second.kept = newLength;
      releasedTails.emplace_back(std::chrono::steady_clock::now(), key);
      return true;
    }
    // Anything else (a large object shrunk, possibly again and again) is shrunk for real.
    if (h != held.end()) h->second.length = h->second.kept = h->second.discardedFrom = newLength;
    auto l = lazy.find(key);
    if (l != lazy.end()) l->second = newLength;
  }
  return inner.ReleasePages(address, length, newLength);
}

void RecyclingPageAllocator::discardTails(std::chrono::steady_clock::duration age) {
  // Under the lock throughout: a page freed meanwhile could otherwise be handed out again (or
  // unmapped and its addresses reused) before its old tail is discarded.
  std::lock_guard<std::mutex> lock(mutex);
  auto before = std::chrono::steady_clock::now() - age;
  while (!releasedTails.empty() && releasedTails.front().first <= before) {
    auto h = held.find(releasedTails.front().second);
    releasedTails.pop_front();
    if (h == held.end() || h->second.kept >= h->second.discardedFrom) continue;
    // Its pages given back first, the tail is then protected with no mapping left to flush.
    char* tail = reinterpret_cast<char*>(h->first) + h->second.kept;
    size_t tailLength = h->second.discardedFrom - h->second.kept;
    madvise(tail, tailLength, MADV_DONTNEED);
    protectNone(tail, tailLength);
    h->second.discardedFrom = h->second.kept;
  }
}

bool RecyclingPageAllocator::SetPermissions(void* address, size_t length,
                                            Permission permissions) {
  auto begin = reinterpret_cast<uintptr_t>(address);
  kj::Vector<std::pair<void*, size_t>> toProtect;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto whole = lazy.find(begin);
    if (whole != lazy.end() && whole->second == length) {
      // The whole lazy page: inaccessible already as far as V8 knows, or granted at once.
      if (permissions == Permission::kNoAccess) return true;
      lazy.erase(whole);
    } else {
      takeLazyOverlapping(begin, begin + length, toProtect);
      if (toProtect.empty() && permissions == Permission::kNoAccess) {
        auto h = held.find(begin);
        if (h != held.end() && h->second.length == length && h->second.kept == length &&
            length <= SMALL_REGION) {
          lazy[begin] = length;
          return true;
        }
      }
    }
  }
  for (auto& [lazyAddress, lazyLength]: toProtect) {
    if (!protectNone(lazyAddress, lazyLength)) return false;
  }
  if (permissions == Permission::kNoAccess) return protectNone(address, length);
  return inner.SetPermissions(address, length, permissions);
}

bool RecyclingPageAllocator::DecommitPages(void* address, size_t size) {
  protectLazyOverlapping(address, size);
  return inner.DecommitPages(address, size);
}

void RecyclingPageAllocator::takeLazyOverlapping(uintptr_t begin, uintptr_t end,
                                                 kj::Vector<std::pair<void*, size_t>>& out) {
  auto it = lazy.upper_bound(begin);
  if (it != lazy.begin()) {
    auto before = std::prev(it);
    if (before->first + before->second > begin) it = before;
  }
  while (it != lazy.end() && it->first < end) {
    out.add(reinterpret_cast<void*>(it->first), it->second);
    it = lazy.erase(it);
  }
}

void RecyclingPageAllocator::protectLazyOverlapping(void* address, size_t length) {
  kj::Vector<std::pair<void*, size_t>> toProtect;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto begin = reinterpret_cast<uintptr_t>(address);
    takeLazyOverlapping(begin, begin + length, toProtect);
  }
  for (auto& [lazyAddress, lazyLength]: toProtect) protectNone(lazyAddress, lazyLength);
}

size_t RecyclingPageAllocator::lazyCount() {
  std::lock_guard<std::mutex> lock(mutex);
  return lazy.size();
}

void RecyclingPageAllocator::trim() {
  discardTails(std::chrono::steady_clock::duration::zero());
  kj::Vector<std::pair<void*, size_t>> excess;
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto& [length, regions]: cached) {
      size_t keep = length > SMALL_REGION ? IDLE_LARGE : IDLE_SMALL;
      while (regions.size() > keep) {
        excess.add(regions.back(), length);
        regions.pop_back();
      }
    }
  }
  for (auto& [address, length]: excess) inner.FreePages(address, length);
}

bool RecyclingPageAllocator::protectNone(void* address, size_t length) {
  return mprotect(address, length, PROT_NONE) == 0;
}

size_t RecyclingPageAllocator::kept() {
  std::lock_guard<std::mutex> lock(mutex);
  size_t n = 0;
  for (auto& entry: cached) n += entry.second.size();
  return n;
}

void* BufferAllocator::take(size_t length, bool zeroed) {
  if (!admits(length)) {
    refused.store(true, std::memory_order_relaxed);
    if (refusalCallback != nullptr) refusalCallback(refusalData);
    return nullptr;
  }
  // V8 asks for 0 bytes too and wants a pointer it can free.
  void* data = zeroed ? calloc(length > 0 ? length : 1, 1) : malloc(length > 0 ? length : 1);
  if (data == nullptr) return nullptr;
  inUse.fetch_add(length, std::memory_order_relaxed);
  refused.store(false, std::memory_order_relaxed);
  return data;
}

void BufferAllocator::Free(void* data, size_t length) {
  free(data);
  inUse.fetch_sub(length, std::memory_order_relaxed);
}

bool BufferAllocator::admits(size_t length) const {
  size_t used = inUse.load(std::memory_order_relaxed) + nativeInUse.load(std::memory_order_relaxed);
  return used <= budget && length <= budget - used;
}

Platform::Platform(const char* argv0, kj::ArrayPtr<const kj::String> v8Flags) {
  // Checksums guard snapshots and code caches read from disk against corruption. Ours never
  // leave the process (the snapshot is compiled into libnode, code caches are made in memory by
  // the first isolate), and summing them cost every new isolate ≈ 7 % of its preparation.
  v8::V8::SetFlagsFromString("--no-verify-snapshot-checksum");
  if (v8Flags.size() > 0) {
    // V8 takes the flags it knows out of argv and leaves the rest; argv[0] is a program name.
    kj::Vector<char*> argv;
    argv.add(const_cast<char*>("loaderd"));
    for (auto& f: v8Flags) argv.add(const_cast<char*>(f.cStr()));
    int argc = argv.size();
    v8::V8::SetFlagsFromCommandLine(&argc, argv.begin(), /*remove_flags=*/true);
    if (argc > 1) throw UnknownV8Flag{kj::str(argv[1])};
  }
  // For diagnosis only (e.g. LOADERD_V8_FLAGS=--trace-gc); never needed to run correctly.
  if (const char* flags = getenv("LOADERD_V8_FLAGS")) v8::V8::SetFlagsFromString(flags);
  v8::V8::InitializeICUDefaultLocation(argv0);
  // Seeds for each isolate's random number generators (Math.random, hash seeds). Without an
  // entropy source V8 opens and reads /dev/urandom through stdio twice per isolate.
  v8::V8::SetEntropySource([](unsigned char* buffer, size_t length) {
    while (length > 0) {
      ssize_t n = getrandom(buffer, length, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      buffer += n;
      length -= n;
    }
    return true;
  });
  // Keep background threads to what two cores can use.
  platform = v8::platform::NewDefaultPlatform(2);
  // LOADERD_NO_PAGE_RECYCLING=1 gives V8 the default platform as it is, for comparison.
  RecyclingPageAllocator* recycler = nullptr;
  if (getenv("LOADERD_NO_PAGE_RECYCLING") != nullptr) {
    v8::V8::InitializePlatform(platform.get());
  } else {
    auto recycling = std::make_unique<RecyclingPlatform>(*platform);
    recycler = &recycling->pageAllocator();
    v8Platform = kj::mv(recycling);
    v8::V8::InitializePlatform(v8Platform.get());
  }
  KJ_ASSERT(v8::V8::Initialize(), "V8 failed to initialize");
  arrayBufferAllocator.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  cpuWatchdog = kj::heap<CpuWatchdog>();
  background = kj::heap<IsolateThread>([recycler]() {
    if (recycler != nullptr) recycler->trim();
  }, [recycler]() {
    if (recycler != nullptr) recycler->discardTails(RecyclingPageAllocator::TAIL_DECAY);
  });
}

Platform::~Platform() noexcept(false) {
  // Isolates still being prepared or disposed of are finished first.
  background = nullptr;
  cpuWatchdog = nullptr;
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
}

void Platform::pumpMessageLoop(v8::Isolate* isolate) {
  while (v8::platform::PumpMessageLoop(platform.get(), isolate,
                                       v8::platform::MessageLoopBehavior::kDoNotWait)) {
  }
}

void Platform::retireIsolate(v8::Isolate* isolate) {
  background->post(IsolateThread::Kind::DISPOSE, [this, isolate]() {
    isolate->Dispose();
    // The platform keeps a task queue per isolate until told: make sure one exists (it is only
    // a map key now), then drop it.
    platform->GetForegroundTaskRunner(isolate);
    v8::platform::NotifyIsolateShutdown(platform.get(), isolate);
  });
}

IsolateThread::IsolateThread(std::function<void()> onIdle, std::function<void()> afterJob)
    : onIdle(kj::mv(onIdle)), afterJob(kj::mv(afterJob)), thread([this]() { run(); }) {}

IsolateThread::~IsolateThread() noexcept(false) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_one();
  thread.join();
}

void IsolateThread::post(Kind kind, kj::Function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    (kind == Kind::PREPARE ? prepareJobs : disposeJobs).push_back(kj::mv(job));
  }
  wake.notify_one();
}

void IsolateThread::run() {
  std::unique_lock<std::mutex> lock(mutex);
  bool idleSince = true;  // onIdle has run since the last job
  for (;;) {
    auto ready = [this]() { return stopping || !prepareJobs.empty() || !disposeJobs.empty(); };
    if (!wake.wait_for(lock, IDLE_AFTER, ready)) {
      if (!idleSince && onIdle) {
        lock.unlock();
        onIdle();
        lock.lock();
      }
      idleSince = true;
      continue;
    }
    if (prepareJobs.empty() && disposeJobs.empty()) return;  // stopping, and nothing left
    idleSince = false;
    bool disposeNext = prepareJobs.empty() || disposeJobs.size() > MAX_WAITING_DISPOSALS;
    auto& queue = disposeNext ? disposeJobs : prepareJobs;
    auto job = kj::mv(queue.front());
    queue.pop_front();
    lock.unlock();
    KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() { job(); })) {
      KJ_LOG(ERROR, "isolate thread job failed", *e);
    }
    if (afterJob) afterJob();
    lock.lock();
  }
}

}  // namespace loaderd
