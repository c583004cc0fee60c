#include "sync/server/gzip.h"

#include <zlib.h>

#include <stdexcept>

namespace signpost::server {

namespace {
constexpr int kGzipWindow = 15 + 16;  // 32 KiB window, gzip header instead of zlib's
constexpr std::size_t kChunk = 64 * 1024;

Bytef* input(std::string_view data) {
    // zlib's API takes a non-const pointer but does not write through next_in.
    return reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
}
}  // namespace

std::string gzipCompress(std::string_view data, int level) {
    z_stream stream{};
    if (deflateInit2(&stream, level, Z_DEFLATED, kGzipWindow, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("zlib: cannot start compression");
    }
    std::string out;
    out.resize(deflateBound(&stream, static_cast<uLong>(data.size())));
    stream.next_in = input(data);
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    const std::size_t written = stream.total_out;
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) {
        throw std::runtime_error("zlib: compression did not finish");
    }
    out.resize(written);
    return out;
}

std::optional<std::string> gzipDecompress(std::string_view data, std::size_t maxOutput) {
    z_stream stream{};
    if (inflateInit2(&stream, kGzipWindow) != Z_OK) {
        return std::nullopt;
    }
    std::string out;
    stream.next_in = input(data);
    stream.avail_in = static_cast<uInt>(data.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        const std::size_t before = out.size();
        out.resize(before + kChunk);
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + before);
        stream.avail_out = static_cast<uInt>(kChunk);
        rc = inflate(&stream, Z_NO_FLUSH);
        out.resize(before + kChunk - stream.avail_out);
        if (out.size() > maxOutput) {
            rc = Z_DATA_ERROR;
        }
        if (rc == Z_BUF_ERROR && stream.avail_in == 0) {
            break;  // input ended before the stream did
        }
    }
    const bool complete = rc == Z_STREAM_END && stream.avail_in == 0;
    inflateEnd(&stream);
    if (!complete) {
        return std::nullopt;
    }
    return out;
}

}  // namespace signpost::server
