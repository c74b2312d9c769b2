#include "platform.h"

#include <kj/debug.h>
#include <cstdlib>
#include <kj/vector.h>

namespace loaderd {

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
  size_t used = inUse.load(std::memory_order_relaxed);
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
  // Keep background threads to what two cores can use.
  platform = v8::platform::NewDefaultPlatform(2);
  v8::V8::InitializePlatform(platform.get());
  KJ_ASSERT(v8::V8::Initialize(), "V8 failed to initialize");
  arrayBufferAllocator.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  cpuWatchdog = kj::heap<CpuWatchdog>();
  background = kj::heap<IsolateThread>();
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

IsolateThread::IsolateThread(): thread([this]() { run(); }) {}

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
  for (;;) {
    wake.wait(lock, [this]() {
      return stopping || !prepareJobs.empty() || !disposeJobs.empty();
    });
    if (prepareJobs.empty() && disposeJobs.empty()) return;  // stopping, and nothing left
    bool disposeNext = prepareJobs.empty() || disposeJobs.size() > MAX_WAITING_DISPOSALS;
    auto& queue = disposeNext ? disposeJobs : prepareJobs;
    auto job = kj::mv(queue.front());
    queue.pop_front();
    lock.unlock();
    KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() { job(); })) {
      KJ_LOG(ERROR, "isolate thread job failed", *e);
    }
    lock.lock();
  }
}

}  // namespace loaderd
