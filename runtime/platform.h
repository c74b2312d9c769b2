// The process-wide V8 platform. main() creates exactly one and passes it down.
#pragma once

#include <v8.h>
#include <libplatform/libplatform.h>
#include <kj/memory.h>
#include <kj/function.h>
#include <kj/string.h>
#include <chrono>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <map>
#include <kj/vector.h>
#include <vector>
#include <functional>
#include "limits.h"

namespace loaderd {

// One thread for isolate work that need not hold up the JavaScript thread: preparing isolates
// ahead of demand (loader/pool.h) and disposing of finished ones. Preparations come first (a
// request may be waiting for an isolate; a burst of disposals after the parent's GC freed many
// workers would otherwise leave the pool dry), unless disposals have piled up.
class IsolateThread {
public:
  // `onIdle` runs on the thread once work has paused for IDLE_AFTER, `afterJob` after every
  // job.
  explicit IsolateThread(std::function<void()> onIdle = nullptr,
                         std::function<void()> afterJob = nullptr);
  // Runs every job still queued, then joins.
  ~IsolateThread() noexcept(false);
  KJ_DISALLOW_COPY(IsolateThread);

  enum class Kind { PREPARE, DISPOSE };
  void post(Kind kind, kj::Function<void()> job);

private:
  // Disposals waiting beyond this many run before preparations (memory stays bounded).
  static constexpr size_t MAX_WAITING_DISPOSALS = 8;
  static constexpr std::chrono::seconds IDLE_AFTER{2};
  std::function<void()> onIdle, afterJob;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<kj::Function<void()>> prepareJobs, disposeJobs;
  bool stopping = false;
  std::thread thread;

  void run();
};

// Allocates one isolate's ArrayBuffer contents and holds them to a byte budget: an allocation
// that would take the total past it is refused (V8 then collects garbage and asks again, and
// throws "RangeError: Array buffer allocation failed" if it is still refused). Before this the
// budget was checked only when V8 collected garbage, and one allocation could take a worker
// under a 128 MB limit past a gigabyte. Contents may be freed on any thread (V8 sweeps array
// buffers in the background; the isolate is disposed of on the isolate thread), and each backing
// store keeps its allocator alive (Isolate::CreateParams::array_buffer_allocator_shared).
class BufferAllocator final: public v8::ArrayBuffer::Allocator {
public:
  explicit BufferAllocator(size_t budget): budget(budget) {}

  void* Allocate(size_t length) override { return take(length, true); }
  void* AllocateUninitialized(size_t length) override { return take(length, false); }
  void Free(void* data, size_t length) override;

  // Whether `length` more bytes fit the budget now (ArrayBuffer contents and native holds).
  bool admits(size_t length) const;
  // ArrayBuffer contents held now.
  size_t held() const { return inUse.load(std::memory_order_relaxed); }
  // Native memory the isolate's code keeps alive outside its heap and outside ArrayBuffers
  // (what its RPC calls in flight carry), counted against the same budget.
  void holdNative(size_t length) { nativeInUse.fetch_add(length, std::memory_order_relaxed); }
  void releaseNative(size_t length) {
    nativeInUse.fetch_sub(length, std::memory_order_relaxed);
  }
  // An allocation was refused and none has succeeded since: V8's retries after collecting
  // garbage did not make room, so the isolate is over its memory limit.
  bool overBudget() const { return refused.load(std::memory_order_relaxed); }
  // Called (on the allocating thread) whenever an allocation is refused.
  void onRefusal(void (*callback)(void*), void* data) {
    refusalCallback = callback;
    refusalData = data;
  }

private:
  const size_t budget;
  std::atomic<size_t> inUse{0};
  std::atomic<size_t> nativeInUse{0};
  std::atomic<bool> refused{false};
  void (*refusalCallback)(void*) = nullptr;
  void* refusalData = nullptr;

  void* take(size_t length, bool zeroed);
};

// V8 maps every heap page of an isolate fresh and unmaps it when the isolate goes; on the VM
// this runs on, the page faults, page-table updates and TLB shootdowns of that were about half
// of the CPU time a cold load costs (`perf`: 48 % in the kernel). Regions V8 frees are kept
// mapped, with their pages resident, and handed back for the next request of the same length
// and alignment. What a region held is not cleared: V8 initialises every object it allocates
// and reuses its own pages the same way (its per-isolate page pool); pages that must read as
// zero come from DecommitPages, which is passed through.
//
// Large recycled regions are given back to the system's zero pages (MADV_DONTNEED) when freed.
//
// Heap pages (regions of at most SMALL_REGION that this allocator handed out) are also spared
// the permission changes that only take access away: V8 reserves a page inaccessible and at
// once makes all of it read-write, and uncommits pool pages (inaccessible) that it later
// recommits or frees. Taking access away costs a TLB shootdown across both cores, and those
// were ≈30 % of a cold load's kernel time after recycling. Making a whole heap page inaccessible
// is recorded instead ("lazy"): V8 holds no pointers into a page it believes inaccessible, so
// nothing reads the page until V8 grants access again, and a later change to part of the page,
// a decommit, or a grant other than to the whole page applies the protection first. Sub-ranges
// of larger reservations (the code range, whose pages may hold stale executable code, large
// objects, WebAssembly memory with its guard regions) are protected at once, as before.
// Likewise, a heap page V8 shrinks (ReleasePages: after deserializing, each isolate shrinks two
// pages to ≈8 and ≈40 KiB) stays mapped at its full length while V8 holds it: V8 never touches
// what it released, and the page comes back to the cache whole instead of unmapped (a partial
// unmap is a TLB shootdown, and its replacement faults in again: ≈2.3 ms of a 5 ms cold load
// here). Most isolates are gone within milliseconds; the released tails of those that stay
// (cached workers) are given back to the system and protected TAIL_DECAY later, so an idle
// cached worker holds no more memory than before.
class RecyclingPageAllocator final: public v8::PageAllocator {
public:
  explicit RecyclingPageAllocator(v8::PageAllocator& inner): inner(inner) {}

  size_t AllocatePageSize() override { return inner.AllocatePageSize(); }
  size_t CommitPageSize() override { return inner.CommitPageSize(); }
  void SetRandomMmapSeed(int64_t seed) override { inner.SetRandomMmapSeed(seed); }
  void* GetRandomMmapAddr() override { return inner.GetRandomMmapAddr(); }

  void* AllocatePages(void* address, size_t length, size_t alignment,
                      Permission permissions) override;
  bool FreePages(void* address, size_t length) override;
  bool ReleasePages(void* address, size_t length, size_t newLength) override;
  bool SetPermissions(void* address, size_t length, Permission permissions) override;
  bool DiscardSystemPages(void* address, size_t size) override {
    return inner.DiscardSystemPages(address, size);
  }
  bool DecommitPages(void* address, size_t size) override;

  // Unmaps what is kept beyond a few isolates' worth, and gives back every released tail
  // (called when isolate work has paused).
  void trim();
  // Gives back the released tails of pages V8 still holds that were released more than
  // `age` ago.
  void discardTails(std::chrono::steady_clock::duration age);
  static constexpr std::chrono::milliseconds TAIL_DECAY{250};
  // Regions kept now.
  size_t kept();
  // Heap pages V8 holds as inaccessible whose protection has not been applied (for tests).
  size_t lazyCount();

private:
  // V8's own allocator also discards the pages it makes inaccessible (advice, which V8 does not
  // rely on: DecommitPages is the call that promises zeroed pages), so a region reused or
  // recommitted would fault every page in again: this only protects.
  static bool protectNone(void* address, size_t length);
  // Heap pages are 256 KiB, aligned to their size; a code range is a 128 MiB reservation,
  // little of it resident.
  static constexpr size_t HEAP_PAGE = size_t(1) << 18;
  static constexpr size_t SMALL_REGION = size_t(1) << 20;
  // Only V8's heap chunks (aligned to HEAP_PAGE) and large reservations are recycled. A region
  // asked for with a smaller alignment — WebAssembly memory, aligned to its 64 KiB pages —
  // must read as zero (V8 does not clear it) and is never a recycled one: handing a recycled
  // heap page to a WebAssembly.Memory let one worker read another's heap.
  static bool recyclable(size_t length, size_t alignment) {
    return length > SMALL_REGION || alignment >= HEAP_PAGE;
  }
  static constexpr size_t MAX_SMALL = 512, MAX_LARGE = 48;  // ≤128 MiB of heap pages
  static constexpr size_t IDLE_SMALL = 32, IDLE_LARGE = 2;
  static size_t maxCached(size_t length) { return length > SMALL_REGION ? MAX_LARGE : MAX_SMALL; }

  // Takes the lazy pages overlapping [begin, end) out of `lazy` into `out`. Mutex held.
  void takeLazyOverlapping(uintptr_t begin, uintptr_t end, kj::Vector<std::pair<void*, size_t>>& out);
  // Applies the protection of every lazy page overlapping [address, address + length).
  void protectLazyOverlapping(void* address, size_t length);

  v8::PageAllocator& inner;
  std::mutex mutex;
  std::unordered_map<size_t, std::vector<void*>> cached;
  // Heap pages handed to V8, by address.
  struct Held {
    size_t length;         // mapped (a ReleasePages of a regular heap page does not shrink it)
    size_t kept;           // what V8 kept of it (== length unless released)
    size_t discardedFrom;  // [kept, discardedFrom) is released but still resident
  };
  std::unordered_map<uintptr_t, Held> held;
  // Pages whose tail was released, oldest first (entries for pages freed since are skipped).
  std::deque<std::pair<std::chrono::steady_clock::time_point, uintptr_t>> releasedTails;
  // Held pages V8 made inaccessible, protection not applied yet: address → length.
  std::map<uintptr_t, size_t> lazy;
};

// While set on a thread, the wall clock V8 gives JavaScript there reads 0 (Date.now(), new Date()
// and performance.now(), which is Date.now() here): a worker's top level cannot tell the time,
// as on workerd. Set by TopLevelEvaluation (runtime/modules.h).
void setJsClockStopped(bool stopped);
bool jsClockStopped();

// A V8 flag given to Platform that this V8 does not have.
struct UnknownV8Flag {
  kj::String flag;
};

class Platform {
public:
  // `argv0` locates ICU data where the V8 build needs it. `v8Flags` (config's v8_flags) apply to
  // every isolate; throws UnknownV8Flag, before V8 starts, for a flag V8 does not recognise.
  explicit Platform(const char* argv0, kj::ArrayPtr<const kj::String> v8Flags = nullptr);
  ~Platform() noexcept(false);
  KJ_DISALLOW_COPY(Platform);

  v8::Platform& get() { return *platform; }
  v8::ArrayBuffer::Allocator& allocator() { return *arrayBufferAllocator; }
  // Watches the CPU time of the thread that created the platform (where all isolates run).
  CpuWatchdog& watchdog() { return *cpuWatchdog; }

  // Runs V8's pending foreground tasks for `isolate` (GC finalisation, wasm compilation
  // results) without blocking.
  void pumpMessageLoop(v8::Isolate* isolate);

  // Work on isolates off the JavaScript thread.
  IsolateThread& isolateThread() { return *background; }
  // Disposes of `isolate` (no thread holds or enters it any more) on the isolate thread.
  void retireIsolate(v8::Isolate* isolate);

private:
  std::unique_ptr<v8::Platform> platform;  // libplatform's default (PumpMessageLoop needs it)
  std::unique_ptr<v8::Platform> v8Platform;  // what V8 is given: `platform`, recycling pages
  std::unique_ptr<v8::ArrayBuffer::Allocator> arrayBufferAllocator;
  kj::Own<CpuWatchdog> cpuWatchdog;
  kj::Own<IsolateThread> background;
};

}  // namespace loaderd
