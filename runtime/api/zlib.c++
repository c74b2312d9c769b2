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

void ZlibStream::write(kj::Array<kj::byte> bytes, bool finish) {
  if (ended) {
    if (bytes.size() == 0) return;
    js::throwTypeError("Trailing bytes after end of compressed data");
  }
  input = kj::mv(bytes);
  stream.next_in = input.begin();
  stream.avail_in = input.size();
  finishing = finish;
  drained = false;
}

kj::Maybe<kj::Array<kj::byte>> ZlibStream::read() {
  if (drained) return nullptr;
  kj::Vector<kj::byte> out;
  kj::byte buffer[16384];
  while (out.size() < SLICE) {
    stream.next_out = buffer;
    stream.avail_out = sizeof(buffer);
    int result;
    if (mode == Mode::COMPRESS) {
      result = deflate(&stream, finishing ? Z_FINISH : Z_NO_FLUSH);
    } else {
      result = inflate(&stream, Z_NO_FLUSH);
    }
    out.addAll(kj::arrayPtr(buffer, sizeof(buffer) - stream.avail_out));
    if (result == Z_STREAM_END) {
      ended = true;
      drained = true;
      if (stream.avail_in > 0) js::throwTypeError("Trailing bytes after end of compressed data");
      break;
    }
    if (result == Z_BUF_ERROR) {
      // No progress possible: all input consumed and output flushed.
      drained = true;
      if (mode == Mode::DECOMPRESS && finishing) {
        js::throwTypeError("Unexpected end of compressed data");
      }
      break;
    }
    if (result != Z_OK) {
      drained = true;
      js::throwTypeError(kj::str("Decompression failed: ", stream.msg == nullptr ? "invalid data"
                                                                                : stream.msg));
    }
    if (stream.avail_in == 0 && stream.avail_out != 0 && !finishing) {
      drained = true;
      break;
    }
    if (stream.avail_in == 0 && stream.avail_out != 0 && mode == Mode::DECOMPRESS) {
      drained = true;
      if (finishing) js::throwTypeError("Unexpected end of compressed data");
      break;
    }
  }
  if (drained) input = nullptr;
  return out.releaseAsArray();
}

}  // namespace loaderd::api
