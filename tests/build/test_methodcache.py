"""The compiled methods of brief's dataclasses, kept between runs (brief.methodcache): a class
made from the kept code is the class dataclasses makes (its methods' behaviour, signature
and annotations), the file is written where Python writes bytecode and nowhere else, and a
file that does not read back, or is another Python's, is ignored. Real processes and files."""

from __future__ import annotations

import builtins
import dataclasses
import inspect
import os
import subprocess
import sys
import types
from importlib.util import MAGIC_NUMBER
from pathlib import Path

import pytest
from helpers import REPO

from brief import methodcache

SOURCE = """
from dataclasses import InitVar, dataclass, field

@dataclass(frozen=True, slots=True, order=True)
class Point:
    x: int
    y: "str" = "a"
    tags: tuple = field(default=(), compare=False)

@dataclass(kw_only=True)
class Loose:
    a: list = field(default_factory=list)
    scale: InitVar[int] = 2

    def __post_init__(self, scale):
        self.a = self.a * scale
"""


def _module(name: str) -> types.ModuleType:
    """The classes of SOURCE, made in a module called ``name``."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(SOURCE, f"<{name}>", "exec", dont_inherit=True), module.__dict__)  # noqa: S102
    finally:
        del sys.modules[name]
    return module


def _methods(cls: type) -> dict[str, object]:
    return {name: getattr(cls, name) for name in ("__init__", "__repr__", "__eq__", "__lt__", "__hash__")}


def test_a_class_made_from_kept_code_is_the_class_dataclasses_makes(monkeypatch):
    kept = methodcache._Methods(None)
    monkeypatch.setattr(dataclasses, "exec", kept.exec, raising=False)
    ours = _module("brief._probe")  # compiled once, kept
    assert kept.added and kept.code
    kept.added = False
    again = _module("brief._probe_again")  # the same texts: from the kept code
    assert not kept.added
    monkeypatch.setattr(dataclasses, "exec", builtins.exec)
    plain = _module("elsewhere._probe")
    for made in (ours, again):
        for name in ("Point", "Loose"):
            mine, theirs = getattr(made, name), getattr(plain, name)
            assert str(inspect.signature(mine)) == str(inspect.signature(theirs))  # (InitVar(int): one per class)
            assert repr(mine.__init__.__annotations__) == repr(theirs.__init__.__annotations__)  # types, not names
        p, q = made.Point(1, "b", ("t",)), plain.Point(1, "b", ("t",))
        assert repr(p).replace("brief._probe_again", "x").replace("brief._probe", "x") == repr(q).replace(
            "elsewhere._probe", "x"
        )
        assert p == made.Point(1, "b") and hash(p) == hash(made.Point(1, "b")) and p < made.Point(2)
        with pytest.raises(dataclasses.FrozenInstanceError):
            p.x = 2  # type: ignore[misc]
        assert made.Loose(a=[1]).a == [1, 1] == plain.Loose(a=[1]).a
        with pytest.raises(TypeError):
            made.Loose([1])  # keyword only


def test_only_brief_classes_are_kept(monkeypatch):
    kept = methodcache._Methods(None)
    monkeypatch.setattr(dataclasses, "exec", kept.exec, raising=False)
    _module("elsewhere._probe")
    assert kept.code == {}


def _run(code: str, prefix: Path, *flags: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    done = subprocess.run(
        [sys.executable, *flags, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


ANNOTATIONS = "hashlib.sha1(repr(c.ArticleView.__init__.__annotations__).encode()).hexdigest()"
PROBE = (
    "import dataclasses, hashlib, brief.methodcache; brief.methodcache.install(); "
    "import brief.build, brief.render.contract as c; k = dataclasses.exec.__self__; "
    f"print(len(k.code), k.added, {ANNOTATIONS})"
)
PLAIN = (  # (dataclasses' own exec: brief.methodcache.install leaves it as it is)
    "import builtins, dataclasses, hashlib; dataclasses.exec = builtins.exec; import brief.render.contract as c; "
    f"print({ANNOTATIONS})"
)


@pytest.mark.slow
def test_the_file_is_written_beside_the_bytecode_and_read_back(tmp_path):
    prefix = tmp_path / "pycache"
    count, added, title = _run(PROBE, prefix).split()
    assert int(count) > 300 and added == "True" and title == _run(PLAIN, tmp_path / "other")
    (found,) = prefix.rglob("dataclass-methods.*.bin")
    assert found.read_bytes().startswith(MAGIC_NUMBER)
    count_again, added_again, title_again = _run(PROBE, prefix).split()
    assert (count_again, added_again, title_again) == (count, "False", title)  # nothing compiled


@pytest.mark.slow
def test_a_file_that_does_not_read_back_is_ignored_and_written_anew(tmp_path):
    prefix = tmp_path / "pycache"
    _run(PROBE, prefix)
    (found,) = prefix.rglob("dataclass-methods.*.bin")
    for broken in (b"", MAGIC_NUMBER + b"\x00garbage", b"\x00\x00\r\n" + found.read_bytes()[4:]):
        found.write_bytes(broken)
        count, added, title = _run(PROBE, prefix).split()
        assert int(count) > 300 and added == "True" and title == _run(PLAIN, tmp_path / "other")
        assert found.read_bytes().startswith(MAGIC_NUMBER) and len(found.read_bytes()) > 1000


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path):
    prefix = tmp_path / "pycache"
    count, added, _ = _run(PROBE, prefix, "-B").split()
    assert int(count) > 300 and added == "True"
    assert not list(prefix.rglob("dataclass-methods.*"))


def test_the_brief_command_installs_it(tmp_path):
    """Installed by the command itself (brief.launch, inside its guard against Ctrl-C), not
    by importing the package: the command writes the file, a plain import does not."""
    prefix = tmp_path / "pycache"
    _run("import brief.build", prefix)
    assert not list(prefix.rglob("dataclass-methods.*"))
    _run("import sys; sys.argv = ['brief', '--version']; from brief.launch import main; main()", prefix)
    assert len(list(prefix.rglob("dataclass-methods.*"))) == 1
