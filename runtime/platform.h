// The process-wide V8 platform. main() creates exactly one and passes it down.
#pragma once

#include <v8.h>
#include <libplatform/libplatform.h>
#include <kj/memory.h>
#include "limits.h"

namespace loaderd {

class Platform {
public:
  // `argv0` locates ICU data where the V8 build needs it.
  explicit Platform(const char* argv0);
  ~Platform() noexcept(false);
  KJ_DISALLOW_COPY(Platform);

  v8::Platform& get() { return *platform; }
  v8::ArrayBuffer::Allocator& allocator() { return *arrayBufferAllocator; }
  // Watches the CPU time of the thread that created the platform (where all isolates run).
  CpuWatchdog& watchdog() { return *cpuWatchdog; }

  // Runs V8's pending foreground tasks for `isolate` (GC finalisation, wasm compilation
  // results) without blocking.
  void pumpMessageLoop(v8::Isolate* isolate);

private:
  std::unique_ptr<v8::Platform> platform;
  std::unique_ptr<v8::ArrayBuffer::Allocator> arrayBufferAllocator;
  kj::Own<CpuWatchdog> cpuWatchdog;
};

}  // namespace loaderd
