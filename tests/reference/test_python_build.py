# How run.py's results file names the interpreter's build and GIL state, with sys and sysconfig faked per build.
import os
import sys
import unittest
from unittest import mock

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "reference", "cpython"))

from parlab_ref import results  # noqa: E402


def config_vars(gil_disabled):
    """sysconfig.get_config_var as a build with Py_GIL_DISABLED = gil_disabled would answer it."""
    real = results.sysconfig.get_config_var
    return lambda name: gil_disabled if name == "Py_GIL_DISABLED" else real(name)


class PythonBuildTest(unittest.TestCase):
    def build(self, gil_disabled, is_gil_enabled):
        """get_python_build() under a fake build; is_gil_enabled None: an interpreter without sys._is_gil_enabled."""
        with mock.patch.object(results.sysconfig, "get_config_var", config_vars(gil_disabled)), \
                mock.patch.object(results.sys, "_is_gil_enabled", is_gil_enabled, create=True), \
                mock.patch.object(results.platform, "python_version", lambda: "3.14.0"):
            return results.get_python_build()

    def test_before_3_13_has_no_config_var_and_no_query_so_the_gil_is_on(self):
        self.assertEqual(self.build(None, None),
                         {"python_version": "3.14.0", "python_build": "default", "gil_enabled": True})

    def test_default_build_of_3_14_reports_its_gil_on(self):
        self.assertEqual(self.build(0, lambda: True),
                         {"python_version": "3.14.0", "python_build": "default", "gil_enabled": True})

    def test_free_threaded_build_with_the_gil_off(self):
        self.assertEqual(self.build(1, lambda: False),
                         {"python_version": "3.14.0", "python_build": "free-threaded", "gil_enabled": False})

    def test_free_threaded_build_whose_gil_an_extension_turned_back_on(self):
        self.assertEqual(self.build(1, lambda: True),
                         {"python_version": "3.14.0", "python_build": "free-threaded", "gil_enabled": True})

    def test_the_environment_carries_the_build_beside_the_compiler(self):
        with mock.patch.object(results.sysconfig, "get_config_var", config_vars(1)), \
                mock.patch.object(results.sys, "_is_gil_enabled", lambda: False, create=True):
            env = results.get_environment()
        self.assertEqual(env["target"], "cpython")
        self.assertEqual(env["python_build"], "free-threaded")
        self.assertIs(env["gil_enabled"], False)
        self.assertEqual(env["compiler"], f"CPython {env['python_version']}")

    def test_the_real_interpreter_is_described_consistently(self):
        build = results.get_python_build()
        self.assertEqual(build["python_version"].split(".")[:2], [str(v) for v in sys.version_info[:2]])
        self.assertIn(build["python_build"], ("default", "free-threaded"))
        if build["python_build"] == "default":
            self.assertIs(build["gil_enabled"], True, "a default build always has its GIL")


if __name__ == "__main__":
    unittest.main()
