#include "zlib.h"

#include <kj/debug.h>
#include <kj/vector.h>
#include <cstring>

namespace loaderd::api {

ZlibStream::ZlibStream(int windowBits, Mode mode): mode(mode) {
  memset(&stream, 0, sizeof(stream));
  int result = mode == Mode::COMPRESS
      ? deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY)
      : inflateInit2(&stream, windowBits);
  KJ_ASSERT(result == Z_OK, "zlib init failed", result);
}

ZlibStream::~ZlibStream() noexcept(false) {
  if (mode == Mode::COMPRESS) {
    deflateEnd(&stream);
  } else {
    inflateEnd(&stream);
  }
}

kj::Array<kj::byte> ZlibStream::push(kj::Array<kj::byte> input, bool finish) {
  if (ended) {
    if (input.size() == 0) return nullptr;
    js::throwTypeError("Trailing bytes after end of compressed data");
  }
  kj::Vector<kj::byte> out;
  kj::byte buffer[16384];
  stream.next_in = input.begin();
  stream.avail_in = input.size();
  for (;;) {
    stream.next_out = buffer;
    stream.avail_out = sizeof(buffer);
    int result;
    if (mode == Mode::COMPRESS) {
      result = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH);
    } else {
      result = inflate(&stream, Z_NO_FLUSH);
    }
    out.addAll(kj::arrayPtr(buffer, sizeof(buffer) - stream.avail_out));
    if (result == Z_STREAM_END) {
      ended = true;
      if (stream.avail_in > 0) js::throwTypeError("Trailing bytes after end of compressed data");
      break;
    }
    if (result == Z_BUF_ERROR) {
      // No progress possible: all input consumed and output flushed.
      if (mode == Mode::DECOMPRESS && finish) js::throwTypeError("Unexpected end of compressed data");
      break;
    }
    if (result != Z_OK) {
      js::throwTypeError(kj::str("Decompression failed: ", stream.msg == nullptr ? "invalid data"
                                                                                : stream.msg));
    }
    if (stream.avail_in == 0 && stream.avail_out != 0 && !finish) break;
    if (stream.avail_in == 0 && stream.avail_out != 0 && mode == Mode::DECOMPRESS) {
      if (finish) js::throwTypeError("Unexpected end of compressed data");
      break;
    }
  }
  return out.releaseAsArray();
}

}  // namespace loaderd::api
