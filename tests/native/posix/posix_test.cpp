// native/posix: descriptors close, children are killed and reaped, wait statuses read in words, results files are
// written whole and refused before work when they cannot be.
#include <gtest/gtest.h>

#include "../child_processes.hpp"
#include "params.hpp"  // invalid_argument_error
#include "posix/child.hpp"
#include "posix/fd.hpp"
#include "posix/files.hpp"

#include <fcntl.h>     // fcntl, F_GETFD, FD_CLOEXEC
#include <signal.h>    // SIGKILL, SIGABRT
#include <sys/wait.h>  // waitpid, WNOHANG
#include <unistd.h>    // _exit, pause, getpid

#include <algorithm>   // std::find
#include <cerrno>      // errno, EBADF, ECHILD
#include <filesystem>  // std::filesystem
#include <fstream>     // std::ifstream
#include <sstream>     // std::stringstream
#include <string>      // std::string

namespace {

namespace posix = parlab::posix;

TEST(PosixFd, PipeEndsCloseOnExecAndWhenTheyGoOutOfScope) {
    int read_fd = -1;
    {
        const posix::pipe_pair pipe = posix::make_pipe();
        read_fd = pipe.read_end.get();
        EXPECT_NE(::fcntl(read_fd, F_GETFD) & FD_CLOEXEC, 0);
        EXPECT_NE(::fcntl(pipe.write_end.get(), F_GETFD) & FD_CLOEXEC, 0);
        const char sent[] = "abc";
        ASSERT_TRUE(posix::write_all(pipe.write_end.get(), sent, sizeof sent));
        char received[sizeof sent] = {};
        ASSERT_TRUE(posix::read_all(pipe.read_end.get(), received, sizeof received));
        EXPECT_STREQ(received, "abc");
    }
    EXPECT_EQ(::fcntl(read_fd, F_GETFD), -1);
    EXPECT_EQ(errno, EBADF);
}

TEST(PosixFd, ReadAllIsFalseAtEndOfFile) {
    posix::pipe_pair pipe = posix::make_pipe();
    ASSERT_TRUE(posix::write_all(pipe.write_end.get(), "x", 1));
    pipe.write_end.reset();
    char two[2];
    EXPECT_FALSE(posix::read_all(pipe.read_end.get(), two, sizeof two));
}

TEST(PosixChild, AChildLeftRunningIsKilledAndReaped) {
    pid_t pid = -1;
    {
        const pid_t forked = posix::fork_process();
        if (forked == 0) {
            ::pause();
            ::_exit(0);
        }
        pid = forked;
        posix::child_process child(forked);
        EXPECT_TRUE(child.is_alive());
    }
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);  // reaped: no longer this process's child
    EXPECT_EQ(errno, ECHILD);
    const auto children = parlab::test_support::children_of(::getpid());
    EXPECT_EQ(std::find(children.begin(), children.end(), pid), children.end());
}

TEST(PosixChild, WaitSaysHowTheChildEnded) {
    posix::child_process exited(posix::fork_process());
    if (exited.get_pid() == 0) ::_exit(3);
    ASSERT_TRUE(exited.wait().has_value());
    EXPECT_TRUE(exited.is_reaped());
    EXPECT_FALSE(exited.is_alive());
    EXPECT_EQ(exited.describe(), "exited with code 3");

    posix::child_process killed(posix::fork_process());
    if (killed.get_pid() == 0) {
        ::pause();
        ::_exit(0);
    }
    killed.kill(SIGKILL);
    ASSERT_TRUE(killed.wait().has_value());
    EXPECT_EQ(killed.describe(), "was killed by signal 9 (Killed)");
    EXPECT_EQ(posix::describe_wait_status(SIGABRT), "was killed by signal 6 (Aborted)");  // a raw status: signal 6
}

TEST(PosixFiles, WriteFileReplacesTheFileWholeAndLeavesNoTemporary) {
    const std::string path = ::testing::TempDir() + "parlab_posix_write.json";
    posix::write_file(path, "first");
    posix::write_file(path, "second");
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "second");
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    std::filesystem::remove(path);
}

TEST(PosixFiles, CheckWritableRefusesWhatWriteFileCouldNotWrite) {
    const std::string dir = ::testing::TempDir();
    const std::string fine = dir + "parlab_posix_check.json";
    EXPECT_NO_THROW(posix::check_writable(fine, "--out"));
    EXPECT_FALSE(std::filesystem::exists(fine));  // asked, not written
    EXPECT_FALSE(std::filesystem::exists(fine + ".tmp"));
    for (const std::string& bad : {dir, dir + "no-such-dir/x.json", std::string("/proc/parlab.json"), std::string()}) {
        try {
            posix::check_writable(bad, "--out");
            ADD_FAILURE() << "accepted " << bad;
        } catch (const parlab::invalid_argument_error& e) {
            EXPECT_EQ(std::string(e.what()).rfind("--out cannot be written: " + bad + " (", 0), 0U) << e.what();
        }
    }
}

}  // namespace
