// MPI_Init, MPI_Finalize, the rank's facts, and the polite wait for the next message.
#include "world.hpp"

#include <chrono>     // std::chrono
#include <stdexcept>  // std::runtime_error
#include <thread>     // std::this_thread::sleep_for

namespace parlab::mpi {

world::world(int& argc, char**& argv) {
    MPI_Init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    char name[MPI_MAX_PROCESSOR_NAME] = {};
    int length = 0;
    MPI_Get_processor_name(name, &length);
    host_.assign(name, static_cast<std::size_t>(length));
    if (host_.empty()) host_ = "unknown";
}

world::~world() { MPI_Finalize(); }

std::string world::get_library() {
    char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
    int length = 0;
    MPI_Get_library_version(text, &length);
    std::string library(text, static_cast<std::size_t>(length));
    library = library.substr(0, library.find('\n'));
    while (!library.empty() && (library.back() == ' ' || library.back() == '\0')) library.pop_back();
    return library;
}

void check(int rc, const char* what) {
    if (rc == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING] = {};
    int length = 0;
    MPI_Error_string(rc, text, &length);
    throw std::runtime_error(std::string(what) + ": " + std::string(text, static_cast<std::size_t>(length)));
}

bool wait_for_message(int source, MPI_Status& status, const std::function<bool()>& stop) {
    // A task hand-over or a ping-pong comes within microseconds of the last message: spin on MPI_Iprobe that long.
    // Past that the rank is idle (computing ranks, a long task, rank 0 between runs): probe every 100 µs instead.
    constexpr auto spin_for = std::chrono::milliseconds(2);
    const auto spin_until = std::chrono::steady_clock::now() + spin_for;
    for (unsigned probes = 0;; ++probes) {
        int found = 0;
        check(MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &found, &status), "MPI_Iprobe");
        if (found) return true;
        if ((probes & 63) == 0 && stop()) return false;
        if (std::chrono::steady_clock::now() > spin_until) {
            if (stop()) return false;
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
    }
}

}  // namespace parlab::mpi
