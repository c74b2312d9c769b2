#include "platform.h"

#include <kj/debug.h>
#include <cstdlib>

namespace loaderd {

Platform::Platform(const char* argv0) {
  // For diagnosis only (e.g. LOADERD_V8_FLAGS=--trace-gc); never needed to run correctly.
  if (const char* flags = getenv("LOADERD_V8_FLAGS")) v8::V8::SetFlagsFromString(flags);
  v8::V8::InitializeICUDefaultLocation(argv0);
  // Keep background threads to what two cores can use.
  platform = v8::platform::NewDefaultPlatform(2);
  v8::V8::InitializePlatform(platform.get());
  KJ_ASSERT(v8::V8::Initialize(), "V8 failed to initialize");
  arrayBufferAllocator.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  cpuWatchdog = kj::heap<CpuWatchdog>();
}

Platform::~Platform() noexcept(false) {
  cpuWatchdog = nullptr;
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
}

void Platform::pumpMessageLoop(v8::Isolate* isolate) {
  while (v8::platform::PumpMessageLoop(platform.get(), isolate,
                                       v8::platform::MessageLoopBehavior::kDoNotWait)) {
  }
}

}  // namespace loaderd
