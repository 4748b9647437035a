// Results files: written all at once (a reader never sees half a file), and checked before a long run starts.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

namespace parlab::posix {

/// Writes text to path through a temporary file (path + ".tmp") renamed over it; throws std::runtime_error naming
/// the file it could not write.
void write_file(const std::string& path, const std::string& text);

/// Whether write_file(path, ...) can succeed, asked before the work that fills the file: path is not a directory
/// and its temporary file can be created in its directory (tried, then removed). Throws invalid_argument_error
/// "FLAG cannot be written: PATH (why)" otherwise; flag names the option that gave the path (--out).
void check_writable(const std::string& path, std::string_view flag);

}  // namespace parlab::posix
