"""The YAML reader keeps strings as strings and refuses what makes YAML dangerous (RELIABILITY 17)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph import yamlsafe
from graph.errors import InputError


def test_scalars_stay_strings_where_yaml_would_guess() -> None:
    data = yamlsafe.loads("a: NO\nb: 012\nc: 1952-08-05\nd: yes\ne: 0.9\nf: 12\ng: ~\nh: true\n")
    assert data == {"a": "NO", "b": "012", "c": "1952-08-05", "d": "yes", "e": 0.9, "f": 12, "g": None, "h": True}


@pytest.mark.parametrize(
    "text,message",
    [
        ("a: !!python/object/apply:os.system ['true']\n", "f.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (plain data only)"),
        ("a: 1\na: 2\n", "f.yaml:2: duplicate key 'a'"),
        ("a: &x [1, 2]\nb: *x\n", "f.yaml:1: YAML anchors and aliases are not allowed"),
        ("<<: {a: 1}\n", "f.yaml:1: YAML merge keys (<<) are not allowed"),
        ("a: !custom 1\n", "f.yaml:1: YAML tag '!custom' is not allowed (plain data only)"),
    ],
)
def test_dangerous_yaml_is_refused_with_file_and_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        yamlsafe.loads(text, "f.yaml")
    assert err.value.one_line() == message


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)
    )
    with pytest.raises(InputError, match="anchors and aliases are not allowed"):
        yamlsafe.loads(bomb, "bomb.yaml")


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(InputError, match="nested more than 64 levels deep"):
        yamlsafe.loads("a: " + "[" * 1000 + "]" * 1000 + "\n", "deep.yaml")


def test_oversized_file_is_refused_before_parsing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (10 * 1024 * 1024) + b"\n")
    with pytest.raises(InputError) as err:
        yamlsafe.load_file(big)
    assert err.value.one_line() == f"{big}: file is larger than 5 MB"


def test_non_utf8_file_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as err:
        yamlsafe.load_file(path)
    assert err.value.one_line() == f"{path}: not UTF-8 text (byte 6)"


plain = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**9, 10**9) | plain,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(plain.filter(lambda k: k != "<<"), inner, max_size=4),
    max_leaves=12,
)


@given(values)
def test_dump_then_load_is_the_identity(value: object) -> None:
    assert yamlsafe.loads(yamlsafe.dumps({"v": value})) == {"v": value}
