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

  // Feeds `input` (finishing the stream if `finish`) and returns everything produced so far.
  // A malformed compressed stream throws TypeError; so does data after its end.
  kj::Array<kj::byte> push(kj::Array<kj::byte> input, bool finish);

  LOADERD_JS_CLASS(ZlibStream) {
    LOADERD_JS_METHOD(push);
  }

private:
  z_stream stream;
  Mode mode;
  bool ended = false;
};

#define LOADERD_ZLIB_TYPES ::loaderd::api::ZlibStream

}  // namespace loaderd::api
