// ipc hello: the child's pid and parent pid, its name, reaping, and the hello line's parser.
#include <gtest/gtest.h>

#include "../child_processes.hpp"
#include "ipc/hello.hpp"

#include <sys/wait.h>  // waitpid
#include <unistd.h>    // getpid

#include <algorithm>  // std::find
#include <cerrno>     // errno, ECHILD
#include <string>     // std::string

namespace {

TEST(IpcHello, TheChildHasItsOwnPidNamesThisProcessAsParentAndIsReaped) {
    const auto result = parlab::run_hello("hello-test");
    EXPECT_EQ(result.parent_pid, ::getpid());
    EXPECT_GT(result.child_pid, 0);
    EXPECT_NE(result.child_pid, result.parent_pid);
    EXPECT_EQ(result.reported_pid, result.child_pid) << result.message;
    EXPECT_EQ(result.reported_parent_pid, result.parent_pid) << result.message;
    EXPECT_EQ(result.child_name, "hello-test");
    EXPECT_EQ(result.message, "hello from hello-test, pid " + std::to_string(result.child_pid) + ", parent pid " +
                                  std::to_string(result.parent_pid));
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_TRUE(result.reaped);
    EXPECT_TRUE(result.is_consistent());
    // No zombie: the child is no longer this process's child at all (waitpid has nothing to collect), and /proc
    // lists no live child with its pid.
    EXPECT_EQ(::waitpid(static_cast<pid_t>(result.child_pid), nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
    const auto children = parlab::test_support::children_of(::getpid());
    EXPECT_EQ(std::find(children.begin(), children.end(), result.child_pid), children.end());
}

TEST(IpcHello, ParsesOnlyWellFormedLines) {
    const auto line = parlab::parse_hello_line("hello from a, b, pid 12, parent pid 3\n");
    ASSERT_TRUE(line.has_value());
    EXPECT_EQ(line->name, "a, b");
    EXPECT_EQ(line->pid, 12);
    EXPECT_EQ(line->parent_pid, 3);
    for (const char* bad : {"", "hello from x", "hello from , pid 1, parent pid 2", "hello from x, pid -1, parent pid 2",
                            "hello from x, pid 1, parent pid 2z", "hi from x, pid 1, parent pid 2"})
        EXPECT_FALSE(parlab::parse_hello_line(bad).has_value()) << bad;
}

}  // namespace
