// Placeholder: being written (see CMakeLists.txt).
