// zlib streams for CompressionStream/DecompressionStream (runtime/builtins/compression.js):
// gzip, deflate (zlib format) and deflate-raw.
#pragma once

#include "runtime/js.h"
#include <zlib.h>

namespace loaderd::api {

class ZlibStream final: public js::Object {
public:
  enum class Mode { COMPRESS, DECOMPRESS };
  ZlibStream(int windowBits, Mode mode);
  ~ZlibStream() noexcept(false);

  // Takes `input` (finishing the stream if `finish`); read() then returns what it produces.
  void write(kj::Array<kj::byte> input, bool finish);
  // The next part of the output, at most about SLICE bytes, or null once `input` is used up.
  // In parts so that a small input that inflates to gigabytes (a decompression bomb) becomes
  // ArrayBuffers one slice at a time, each counted against the worker's memory limit, with
  // JavaScript (where the CPU watchdog can stop it) running between them. A malformed
  // compressed stream throws TypeError; so does data after its end.
  kj::Maybe<kj::Array<kj::byte>> read();
  static constexpr size_t SLICE = 1u << 20;

  LOADERD_JS_CLASS(ZlibStream) {
    LOADERD_JS_METHOD(write);
    LOADERD_JS_METHOD(read);
  }

private:
  z_stream stream;
  Mode mode;
  bool ended = false;
  kj::Array<kj::byte> input;  // what stream.next_in points into
  bool finishing = false;
  bool drained = true;        // read() has nothing more to give for the current input
};

#define LOADERD_ZLIB_TYPES ::loaderd::api::ZlibStream

}  // namespace loaderd::api
