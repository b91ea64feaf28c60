"""The package is typed (PEP 561): the py.typed marker ships beside the modules and the stub of
the extension module."""

import pathlib


def test_the_package_carries_the_py_typed_marker_and_the_core_stub(fq):
    package = pathlib.Path(fq.__file__).parent
    assert (package / "py.typed").is_file()
    assert "class RuleSet" in (package / "_core.pyi").read_text(encoding="utf-8")
