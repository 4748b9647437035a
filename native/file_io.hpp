// Whole-buffer reads and writes on file descriptors (the pipes), and results files written all at once.
#pragma once

#include <cstddef>  // std::size_t
#include <string>   // std::string

namespace parlab {

/// Writes all size bytes to fd, going on after short writes and EINTR; false on an error (the reader is gone).
[[nodiscard]] bool write_all(int fd, const void* data, std::size_t size);

/// Reads exactly size bytes from fd; false on end of file or an error.
[[nodiscard]] bool read_all(int fd, void* data, std::size_t size);

/// Writes text to path through a temporary file renamed over it, so a reader never sees half a file; throws
/// std::runtime_error naming the file it could not write.
void write_file(const std::string& path, const std::string& text);

}  // namespace parlab
